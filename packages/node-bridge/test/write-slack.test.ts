/**
 * `allowWriteSlack`: a response piped by someone else (Koa) reports backpressure only once it holds
 * `PUMP_SLACK` bytes, and the `'drain'` after it still comes. Real `node:http` server and client.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, request, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PUMP_SLACK } from '../src/pump.js';
import { allowWriteSlack } from '../src/write-slack.js';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

/** A rewritten chunk: a little over the socket's 16 KiB high-water mark. */
const chunk = (i: number) => Buffer.alloc(16 * 1024 + 400, 0x61 + (i % 26));

/** What `write` returned, and what the response held right after. */
interface Write {
  ok: boolean;
  held: number;
}

/**
 * One response that writes chunks until `write` returns `false`, waits for `'drain'`, writes one
 * more chunk and ends. Returns the client's response (not yet read) and the server's record.
 */
async function writeUntilFalse(slack: boolean) {
  const writes: Write[] = [];
  let resolveServer!: () => void;
  const serverDone = new Promise<void>((resolve) => {
    resolveServer = resolve;
  });
  const server = createServer(async (_req, res) => {
    if (slack) allowWriteSlack(res);
    res.writeHead(200, { 'content-type': 'text/html' });
    for (let i = 0; ; i++) {
      const ok = res.write(chunk(i));
      writes.push({ ok, held: res.writableLength });
      if (!ok) break;
    }
    await once(res, 'drain');
    res.end(chunk(writes.length));
    resolveServer();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  const req = request({ host: '127.0.0.1', port, path: '/' });
  req.end();
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  res.pause();
  return { res, writes, serverDone };
}

/** Reads the rest of `res`; resolves with every byte. */
async function readAll(res: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  res.on('data', (c: Buffer) => parts.push(c));
  res.resume();
  await once(res, 'end');
  return Buffer.concat(parts);
}

describe('allowWriteSlack', () => {
  it('without it, a response reports backpressure at its first chunk larger than 16 KiB', async () => {
    const { res, writes, serverDone } = await writeUntilFalse(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(writes).toHaveLength(1);
    expect(writes[0]!.ok).toBe(false);
    await readAll(res);
    await serverDone;
  });

  it('with it, `write` returns true until the response holds the slack, then false, and drain still comes', async () => {
    const { res, writes, serverDone } = await writeUntilFalse(true);
    // the client reads nothing yet: once the kernel's buffers are full, bytes wait in the response
    await new Promise((resolve) => setTimeout(resolve, 20));
    const last = writes[writes.length - 1]!;
    expect(writes.length).toBeGreaterThan(1);
    expect(writes.slice(0, -1).every((w) => w.ok && w.held < PUMP_SLACK)).toBe(true);
    expect(last.ok).toBe(false);
    expect(last.held).toBeGreaterThanOrEqual(PUMP_SLACK);
    // reading lets the response drain: the server's `once(res, 'drain')` resolves and it ends
    const body = await readAll(res);
    await serverDone;
    const expected = Buffer.concat(Array.from({ length: writes.length + 1 }, (_, i) => chunk(i)));
    expect(body.equals(expected)).toBe(true);
  });

  it('replaces only this response’s `write`', async () => {
    const server = createServer((_req, res) => {
      const before = res.end;
      allowWriteSlack(res);
      res.end(String(res.end === before && Object.hasOwn(res, 'write')));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    closers.push(() => server.close());
    const { port } = server.address() as AddressInfo;
    const r = await fetch(`http://127.0.0.1:${port}/`);
    expect(await r.text()).toBe('true');
    expect(ServerResponse.prototype.write.name).not.toBe('writeWithSlack');
  });
});
