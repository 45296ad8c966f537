/** Deno: serves the app of app-entry.ts on 127.0.0.1 (port 0), prints the port. */
import { handle } from './app-entry.js';

declare const Deno: {
  serve(
    o: { port: number; hostname: string; onListen(a: { port: number }): void },
    h: (r: Request, info: { remoteAddr: { hostname: string } }) => Promise<Response>,
  ): unknown;
  env: { get(name: string): string | undefined };
};
const spec = Deno.env.get('CFSIGN_SPEC') ?? '{}';
Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: ({ port }) => console.log(port) }, (r, info) =>
  handle(r, spec, info.remoteAddr.hostname),
);
