// `fastify4`, `fastify-compress4` and `fastify-static4` are npm aliases (`npm:fastify@4.x`, ...) used to
// test Fastify 4; they ship their own types, described here as Fastify 5's for the shared test app.
declare module 'fastify4' {
  import fastify from 'fastify';
  export default fastify;
}
declare module 'fastify-compress4' {
  import compress from '@fastify/compress';
  export default compress;
}
declare module 'fastify-static4' {
  import fastifyStatic from '@fastify/static';
  export default fastifyStatic;
}
