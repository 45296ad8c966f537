// `express4` is the npm alias `npm:express@4.x` used to test Express 4; @types/express describes both.
declare module 'express4' {
  import express from 'express';
  export default express;
}
