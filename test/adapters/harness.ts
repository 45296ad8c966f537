/**
 * Framework-neutral fixture for the adapter cases: keys made at run time, a signer, the emulator
 * as the CDN, the standard rules, pages, and a raw HTTP client on 127.0.0.1.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfsignError, createSigner, type Signer, verifySignedUrl } from '@cfsign/core';
import { createEmulator } from '@cfsign/emulator';

export const KEY_ID = 'K2ADAPTERTEST1';
const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const PRIVATE_PEM = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
export const PUBLIC_PEM = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
export const signer = createSigner({ keyPairId: KEY_ID, privateKey: PRIVATE_PEM });
/**
 * Page host the apps are addressed as (listed in the rules' origins): the emulator's host, so the
 * host-only cookies of the cookie rule reach it, as they reach a distribution serving both the
 * site and the media (cookies ignore ports). Pages on another host need the rule's `cookie.domain`
 * (see cross-subdomain-cookies.test.ts).
 */
export const HOST = '127.0.0.1';

/** A signer that throws on its k-th URL signature (counted per signer). */
export function failingSigner(k: number): Signer {
  let n = 0;
  const fail = () => ++n === k;
  const err = () => new CfsignError('ERR_SIGNER_FAILED', `test signer refuses link #${k}`);
  return Object.create(signer, {
    signUrlSync: {
      value: (url: string, o: never) => {
        if (fail()) throw err();
        return signer.signUrlSync(url, o);
      },
    },
    signUrl: { value: (url: string, o: never) => (fail() ? Promise.reject(err()) : signer.signUrl(url, o)) },
    // Read by runtimes that rebuild the signer elsewhere (the workerd adapter).
    failAt: { value: k },
  }) as Signer;
}

/** The signer with a count of the links it was asked to sign (`calls.n`). */
export function countingSigner(): { signer: Signer; calls: { n: number } } {
  const calls = { n: 0 };
  const counted = Object.create(signer, {
    signUrlSync: {
      value: (url: string, o: never) => {
        calls.n++;
        return signer.signUrlSync(url, o);
      },
    },
    signUrl: {
      value: (url: string, o: never) => {
        calls.n++;
        return signer.signUrl(url, o);
      },
    },
  }) as Signer;
  return { signer: counted, calls };
}

export function page(extra = ''): string {
  return `<!doctype html><html><head><link rel="stylesheet" href="/private/b.css"></head><body>
<img src="/private/a.jpg" alt="a"> <a href="/public/x.html">public</a>
<video poster="/private/video/7/poster.jpg"></video>
<img src="https://other.example.org/private/a.jpg">${extra}
</body></html>`;
}
export const CSS = 'body{background:url(/private/a.jpg)} .x{background:url("/public/p.png")}';
export const HLS = '#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\n/private/video/7/seg1.ts\n#EXT-X-ENDLIST\n';

export interface Fixture {
  cdn: string;
  dir: string;
  rules: { cdn: string; origins: string[]; rules: Array<Record<string, unknown>> };
  close(): Promise<void>;
}

export async function startFixture(): Promise<Fixture> {
  const bucket = mkdtempSync(join(tmpdir(), 'cfsign-adapters-'));
  const files: Record<string, string> = {
    'private/a.jpg': 'JPEG',
    'private/b.css': 'b{}',
    'private/video/7/poster.jpg': 'POSTER',
    'private/video/7/seg1.ts': 'TS',
    'private/hls/x.ts': 'HLS-SEG',
    'private/ip/doc.pdf': 'PDF',
    // the comments page (untrusted.ts): the page's own files, and one a comment points at
    'private/site/logo.png': 'PNG',
    'private/site/report.pdf': 'PDF',
    'private/users/42/a.jpg': 'SOMEONE-ELSES',
  };
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(bucket, name, '..'), { recursive: true });
    writeFileSync(join(bucket, name), body);
  }
  const dir = mkdtempSync(join(tmpdir(), 'cfsign-pages-'));
  writeFileSync(join(dir, 'page.html'), page());
  const running = await createEmulator({
    behaviors: [
      { pathPattern: '/private/*', trustedKeyGroups: [{ [KEY_ID]: PUBLIC_PEM }], origin: 'bucket' },
    ],
    defaultBehavior: { trustedKeyGroups: 'public', origin: 'bucket' },
    origins: { bucket: { type: 'directory', root: bucket } },
  }).listen(0);
  const cdn = running.url;
  return {
    cdn,
    dir,
    rules: {
      cdn,
      origins: [`http://${HOST}`],
      rules: [
        { match: '/private/ip/**', ipAddress: 'client', expiresIn: '10m' },
        // the test media are for every viewer of the pages: no entitlement hook needed
        {
          match: '/private/video/:id/**',
          mode: 'wildcard',
          resource: '/private/video/:id/*',
          authorize: 'any-viewer',
        },
        { match: '/private/hls/**', mode: 'cookie', authorize: 'any-viewer' },
        { match: '/private/**', expiresIn: '10m' },
      ],
    },
    async close() {
      await running.close();
      rmSync(bucket, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Bytes received (more than `body` holds when `tail` is set). */
  received: number;
  /** True when the transfer did not end cleanly (reset, aborted, incomplete). */
  aborted: boolean;
  /** Milliseconds from the request to each chunk. */
  chunks: Array<{ at: number; text: string }>;
}

export interface GetOptions {
  method?: string;
  headers?: Record<string, string>;
  agent?: Agent;
  /** Read slowly: pause for `ms` after each chunk of the response (bounded by `maxMs`). */
  slow?: { ms: number; maxMs: number; onChunk?: () => void };
  onChunk?: (text: string) => void;
  /** Keep only the last `tail` bytes of the body (a memory test must not hold the page itself). */
  tail?: number;
}

/** A GET (or other) request with the page host, collecting the raw (still encoded) body. */
export function get(base: string, path: string, o: GetOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const req = request(
      `${base}${path}`,
      { method: o.method ?? 'GET', headers: { host: HOST, ...o.headers }, agent: o.agent ?? false },
      (res) => {
        let parts: Buffer[] = [];
        let received = 0;
        const chunks: Reply['chunks'] = [];
        let aborted = false;
        const done = () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts),
            received,
            aborted: aborted || !res.complete,
            chunks,
          });
        res.on('data', (c: Buffer) => {
          received += c.length;
          parts.push(c);
          if (o.tail !== undefined) {
            const all = Buffer.concat(parts);
            parts = [Buffer.from(all.subarray(Math.max(0, all.length - o.tail)))];
          }
          const text = c.toString('latin1');
          if (o.tail === undefined) chunks.push({ at: Date.now() - started, text });
          o.onChunk?.(text);
          o.slow?.onChunk?.();
          if (o.slow && Date.now() - started < o.slow.maxMs) {
            res.pause();
            setTimeout(() => res.resume(), o.slow.ms);
          }
        });
        res.on('aborted', () => {
          aborted = true;
        });
        res.on('error', () => {
          aborted = true;
          done();
        });
        res.on('end', done);
      },
    );
    req.setTimeout(20_000, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Signed CDN links found in a body. */
export function signedLinks(text: string, cdn: string): string[] {
  const re = new RegExp(`${cdn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/private/[^"'\\s)<>]+`, 'g');
  return [...text.matchAll(re)].map((m) => m[0].replaceAll('&amp;', '&'));
}

/** Verifies a signed link with the public key, and fetches it through the emulator. */
export async function checkLink(
  url: string,
  clientIp?: string,
): Promise<{ ok: boolean; reason?: string | undefined; fetched: number }> {
  const v = await verifySignedUrl(url, {
    keys: { [KEY_ID]: PUBLIC_PEM },
    ...(clientIp !== undefined && { clientIp }),
  });
  const res = await fetch(url);
  await res.arrayBuffer();
  return { ok: v.ok, reason: v.reason, fetched: res.status };
}
