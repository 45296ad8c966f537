// `koa2` is the npm alias `npm:koa@2.x` used to test Koa 2; @types/koa describes both.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
