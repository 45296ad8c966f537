/**
 * A page rewritten whole on Express's path is written into memory reused by the next response, but
 * only once every byte of it left through Node's own `end`: never while bytes still wait in the
 * socket, never for an output the page memo keeps.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pooledOutputs, ReusableOutput } from '../src/output-pool.js';
import { fetchText, type Served, serve, signedLinks } from './helpers.js';

const servers: Served[] = [];

/** The bodies of the responses in `text`, in order (each framed by its Content-Length). */
function httpBodies(text: string): string[] {
  const bodies: string[] = [];
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf('\r\n\r\n', at);
    const length = Number(/content-length: (\d+)/i.exec(text.slice(at, end))![1]);
    bodies.push(text.slice(end + 4, end + 4 + length));
    at = end + 4 + length;
  }
  return bodies;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A page of `n` protected links, its text marked with `tag` throughout (same length for every tag). */
const page = (tag: string, n = 50) =>
  `<html><body>${Array.from({ length: n }, (_, i) => `<p>${tag}</p><img src="/private/${tag}-${i}.jpg">`).join('')}</body></html>`;

const sendPage = (tag: string) => (_req: unknown, res: ServerResponse) => {
  res.setHeader('content-type', 'text/html');
  res.end(page(tag));
};

describe('output buffers reused across responses', () => {
  it('a page sent whole through Node’s end gives its buffer back, and the next pages reuse it', async () => {
    const s = await serve((req, res) => sendPage(req.url!.slice(1))(req, res), { options: { memo: false } });
    servers.push(s);
    expect(pooledOutputs()).toBe(0);
    for (const tag of ['aaaa', 'bbbb', 'cccc']) {
      const r = await fetchText(s.base, `/${tag}`);
      expect(signedLinks(r.body)).toHaveLength(50);
      // its own text only: 50 paragraphs and 50 links
      expect(r.body.match(/aaaa|bbbb|cccc/g)).toEqual(Array(100).fill(tag));
      expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
      expect(pooledOutputs()).toBe(1);
    }
  });

  it('a page queued behind another response keeps its buffer: a page sent meanwhile does not overwrite it', async () => {
    // Two pipelined requests on one connection: the second response (A) is rewritten and ended while
    // the first (SLOW) still holds the socket, so A's bytes wait in the response. Meanwhile B is
    // served on another connection. Only then does SLOW end and A go out.
    let slowMayEnd!: () => void;
    const slowGate = new Promise<void>((resolve) => {
      slowMayEnd = resolve;
    });
    let aEnded!: () => void;
    const aQueued = new Promise<void>((resolve) => {
      aEnded = resolve;
    });
    const s = await serve(
      async (req, res) => {
        const tag = req.url!.slice(1);
        if (tag === 'SLOW') {
          await slowGate;
          return sendPage(tag)(req, res);
        }
        sendPage(tag)(req, res);
        if (tag === 'AAAA') {
          while (!res.writableEnded || res.writableLength === 0)
            await new Promise((resolve) => setImmediate(resolve));
          aEnded();
        }
      },
      { options: { memo: false } },
    );
    servers.push(s);
    const { port } = new URL(s.base);
    const raw = connect(Number(port), '127.0.0.1');
    const bytes: Buffer[] = [];
    raw.on('data', (c: Buffer) => bytes.push(c));
    const closed = once(raw, 'end');
    raw.write(
      'GET /SLOW HTTP/1.1\r\nHost: www.example.com\r\n\r\nGET /AAAA HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n',
    );
    await aQueued;
    const b = await fetchText(s.base, '/BBBB');
    slowMayEnd();
    await closed;
    const [slow, a] = httpBodies(Buffer.concat(bytes).toString('latin1'));
    expect(b.body.includes('AAAA')).toBe(false);
    expect(slow!.match(/SLOW/g)).toHaveLength(100);
    expect(signedLinks(a!)).toHaveLength(50);
    expect(a!.includes('BBBB')).toBe(false);
    expect(a!.match(/AAAA/g)).toHaveLength(100);
  });

  it('an output the page memo keeps is never written into a reused buffer', async () => {
    const memo = await serve(sendPage('MMMM'));
    const other = await serve((req, res) => sendPage(req.url!.slice(1))(req, res), {
      options: { memo: false },
    });
    servers.push(memo, other);
    const first = await fetchText(memo.base, '/p');
    for (const tag of ['QQQQ', 'RRRR']) await fetchText(other.base, `/${tag}`);
    const again = await fetchText(memo.base, '/p');
    expect(again.body).toBe(first.body);
    expect(again.body).toMatch(/MMMM/);
  });

  it('keeps one buffer per output, asked for again within one rewrite', () => {
    const o = new ReusableOutput();
    const a = o.allocate(100);
    const b = o.allocate(80);
    expect(b.buffer).toBe(a.buffer);
    expect(a.length).toBe(100);
    expect(b.length).toBe(80);
    // far above the largest reused size: a fresh buffer, never kept
    const big = o.allocate(8 << 20);
    expect(big.buffer).not.toBe(a.buffer);
  });
});
