/**
 * The app of routes.ts for runtimes other than Node (workerd, Bun, Deno), with @cfsign/core's web
 * build. The spec comes as JSON (the SPEC binding, or an environment variable); each response
 * carries the skips and errors of its request in `x-test-report`, which the Node-side proxy of
 * remote-app.ts takes off. The default export is the Worker; `handle` is for Bun.serve and Deno.serve.
 */
import { CfsignError, createSigner, type Signer } from '@cfsign/core';
import type { Hono } from 'hono';
import { type HonoAppSpec, honoApp } from './routes.js';

interface WireSpec {
  rules: unknown;
  keyPairId: string;
  privateKey: string;
  failAt?: number;
  options?: Record<string, unknown>;
  compression?: 'before' | 'after';
  trustProxy?: boolean;
  gateUrl?: string;
  /** The Node-side `authorize` hook, asked over HTTP (a function cannot cross into the runtime). */
  authorizeUrl?: string;
  html: string;
  bodies: Omit<HonoAppSpec['bodies'], 'encoded'> & { encoded: string };
  streamChunks: string[];
}

function failing(signer: Signer, k: number): Signer {
  let n = 0;
  const err = () => new CfsignError('ERR_SIGNER_FAILED', `test signer refuses link #${k}`);
  return Object.create(signer, {
    signUrlSync: {
      value: (url: string, o: never) => {
        if (++n === k) throw err();
        return signer.signUrlSync(url, o);
      },
    },
    signUrl: {
      value: (url: string, o: never) => (++n === k ? Promise.reject(err()) : signer.signUrl(url, o)),
    },
  }) as Signer;
}

const enc = new TextEncoder();

function big(total: number): ReadableStream<Uint8Array> {
  const unit = `<div><img src="/private/a.jpg"><span>${'x'.repeat(400)}</span></div>\n`;
  const chunk = enc.encode(unit.repeat(Math.ceil(16_384 / unit.length)));
  let sent = -1;
  return new ReadableStream({
    pull(c) {
      if (sent < 0) {
        c.enqueue(enc.encode('<!doctype html><html><body>'));
        sent = 0;
      } else if (sent >= total) {
        c.enqueue(enc.encode('</body></html>'));
        c.close();
      } else {
        sent += chunk.length;
        c.enqueue(chunk);
      }
    },
  });
}

/** Chunks with a pause between them (a slow upstream): the pause is pacing, nothing waits on it. */
function slow(chunks: readonly string[], ms: number): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    async pull(c) {
      if (i >= chunks.length) return c.close();
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, ms));
      c.enqueue(enc.encode(chunks[i++]!));
    },
  });
}

/** An `authorize` hook that asks the Node side: `GET <url>?url=<link>` answers `yes` or `no`. */
function remoteAuthorize(url: string) {
  return async (_c: unknown, link: string): Promise<boolean> => {
    const r = await fetch(`${url}?url=${encodeURIComponent(link)}`);
    return (await r.text()) === 'yes';
  };
}

let app: Hono | undefined;
let skips: string[] = [];
let errors: Array<{ code?: string; message: string }> = [];

function build(w: WireSpec): Hono {
  const base = createSigner({ keyPairId: w.keyPairId, privateKey: w.privateKey });
  const encoded = Uint8Array.from(atob(w.bodies.encoded), (ch) => ch.charCodeAt(0));
  return honoApp({
    rules: w.rules,
    signer: w.failAt === undefined ? base : failing(base, w.failAt),
    ...((w.options !== undefined || w.authorizeUrl !== undefined) && {
      options: {
        ...w.options,
        ...(w.authorizeUrl !== undefined && { authorize: remoteAuthorize(w.authorizeUrl) }),
      },
    }),
    ...(w.compression !== undefined && { compression: w.compression }),
    ...(w.trustProxy !== undefined && { trustProxy: w.trustProxy }),
    html: w.html,
    bodies: { ...w.bodies, encoded },
    streamChunks: w.streamChunks,
    big: () => big(10 * 2 ** 20),
    slow: () => slow(['<!doctype html><html><body>', ...w.streamChunks, '</body></html>'], 20),
    ...(w.gateUrl !== undefined && {
      ssrGate: async () => void (await (await fetch(w.gateUrl!)).text()),
    }),
    // Bun and Deno hand the socket's address to handle(); on workerd it is CF-Connecting-IP (the default).
    clientIp: (c) =>
      (c.env as { remoteAddr?: string } | undefined)?.remoteAddr ?? c.req.header('cf-connecting-ip'),
    onSkip: (r) => void skips.push(r),
    onError: (e) =>
      void errors.push({ code: (e as { code?: string }).code, message: (e as Error).message ?? String(e) }),
  }) as unknown as Hono;
}

/** Answers one request of the app built from `spec` (JSON), with its report header. */
export async function handle(request: Request, spec: string, remoteAddr?: string): Promise<Response> {
  {
    try {
      app ??= build(JSON.parse(spec) as WireSpec);
    } catch (err) {
      // Refused options: the error's class name and code go to the Node side, which throws it again.
      const e = err as { name?: string; code?: string; message?: string };
      const report = { name: e.name ?? 'Error', code: e.code, message: e.message ?? String(err) };
      return new Response(null, {
        status: 500,
        headers: { 'x-test-report': JSON.stringify({ skips: [], errors: [], refused: report }) },
      });
    }
    const res = await app.fetch(request, { remoteAddr });
    // A body the app encoded itself is sent as it is (workerd would otherwise encode it again).
    const out = new Response(res.body, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
      ...(res.headers.has('content-encoding') && { encodeBody: 'manual' }),
    } as ResponseInit);
    out.headers.set('x-test-report', JSON.stringify({ skips, errors }));
    skips = [];
    errors = [];
    return out;
  }
}

export default {
  fetch: (request: Request, env: { SPEC: string }): Promise<Response> => handle(request, env.SPEC),
};
