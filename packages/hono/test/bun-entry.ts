/** Bun: serves the app of app-entry.ts on 127.0.0.1 (port 0), prints the port. */
import { handle } from './app-entry.js';

declare const Bun: {
  serve(o: {
    port: number;
    hostname: string;
    fetch(r: Request, server: { requestIP(r: Request): { address: string } | null }): Promise<Response>;
  }): { port: number };
  env: Record<string, string | undefined>;
};
const spec = Bun.env.CFSIGN_SPEC ?? '{}';
const server = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  fetch: (r, s) => handle(r, spec, s.requestIP(r)?.address),
});
console.log(server.port);
