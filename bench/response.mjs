// The response layer on Express 5 and Koa 3: plain vs cloudfrontSigner, on the identical standard
// page and on a per-request-distinct one (a nonce in <head>, as a CSRF token or a user name makes
// real pages differ), with the page memo at its default (adaptive) and off; then 512 MiB written in
// 16 KiB chunks through an events.once(res, 'drain') loop, plain vs signed. Each server runs in its
// own child process; autocannon drives it on loopback; plain and signed run back to back (paired
// rounds) and the ratios are the medians of the per-pair ratios. Writes the response-layer section of
// BENCHMARKS.md. Benchmarks only measure: nothing here is a test.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { machine, versionOf, writeSection } from './lib.mjs';
import { loadServer, median, pairedRounds, signedLinks, startServer } from './server-load.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STREAM_MIB = Number(process.env.BENCH_STREAM_MIB ?? 512);
const CONNECTIONS = 20;
const HOST = 'www.example.com';
// How many links a signed server must sign on the standard page (its ideal output's count).
const SIGNED_LINKS = signedLinks((await import('./page/generate.mjs')).generatePage().expected);
const CDN = 'https://d111111abcdef8.cloudfront.net';
const requireExpress = createRequire(new URL('../packages/express/package.json', import.meta.url));
const requireKoa = createRequire(new URL('../packages/koa/package.json', import.meta.url));
const CHUNK = Buffer.from(
  `<p><img src="/private/stream/a.jpg"> ${'lorem ipsum dolor sit amet '.repeat(700)}</p>\n`.slice(0, 16_380) +
    '</p>\n',
).subarray(0, 16_384);

/** Server process: `--serve <framework> <signer> <page>`; prints its port. */
async function serve(framework, mode, pageKind, pem) {
  const { generatePage } = await import('./page/generate.mjs');
  const { html } = generatePage();
  let n = 0;
  const page = () =>
    pageKind === 'distinct'
      ? html.replace('<head>', `<head><meta name="csrf" content="${++n}-${Math.random()}">`)
      : html;
  let signer;
  if (mode !== 'plain') {
    const { createSigner } = await import('../packages/core/dist/index.node.js');
    signer = createSigner({ keyPairId: 'K2JCJMDEHXQW5F', privateKey: pem });
  }
  const options = () => ({
    signer,
    rules: { cdn: CDN, origins: [`http://${HOST}`], rules: [{ match: '/private/**', expiresIn: '1h' }] },
    ...(mode === 'memo-off' && { memo: false }),
  });
  const stream = async (write, end, waitDrain) => {
    write('<!doctype html><html><body>');
    const total = (STREAM_MIB * 2 ** 20) / CHUNK.length;
    for (let i = 0; i < total; i++) if (!write(CHUNK)) await waitDrain();
    end('</body></html>');
  };
  const cpu = () => {
    const u = process.cpuUsage();
    return { us: u.user + u.system };
  };
  let server;
  if (framework === 'express') {
    const express = requireExpress('express');
    const app = express();
    if (signer) {
      const { cloudfrontSigner } = await import('../packages/express/dist/index.js');
      app.use(cloudfrontSigner(options()));
    }
    const { once } = await import('node:events');
    app.get('/__cpu', (_req, res) => res.json(cpu()));
    app.get('/', (_req, res) => res.type('html').send(page()));
    app.get('/stream', (_req, res) => {
      res.type('html');
      void stream(
        (c) => res.write(c),
        (c) => res.end(c),
        () => once(res, 'drain'),
      );
    });
    server = app.listen(0, '127.0.0.1');
  } else {
    const Koa = requireKoa('koa');
    const app = new Koa();
    if (signer) {
      const { cloudfrontSigner } = await import('../packages/koa/dist/index.js');
      app.use(cloudfrontSigner(options()));
    }
    const { once } = await import('node:events');
    const { PassThrough } = await import('node:stream');
    app.use((ctx) => {
      if (ctx.path === '/__cpu') {
        ctx.body = cpu();
        return;
      }
      ctx.type = 'html';
      if (ctx.path === '/stream') {
        const pt = new PassThrough();
        ctx.body = pt;
        void stream(
          (c) => pt.write(c),
          (c) => pt.end(c),
          () => once(pt, 'drain'),
        );
      } else ctx.body = page();
    });
    server = app.listen(0, '127.0.0.1');
  }
  let warned = 0;
  process.on('warning', (w) => {
    if (w.name === 'MaxListenersExceededWarning') warned++;
  });
  process.on('SIGTERM', () => {
    process.stderr.write(warned > 0 ? `MaxListenersExceededWarning x${warned}\n` : '');
    process.exit(0);
  });
  server.on('listening', () => process.stdout.write(`${server.address().port}\n`));
}

const start = (framework, mode, pageKind, pem) =>
  startServer(fileURLToPath(import.meta.url), [framework, mode, pageKind], pem);

async function load(framework, mode, pageKind, pem) {
  const s = await start(framework, mode, pageKind, pem);
  try {
    return await loadServer(s, {
      connections: CONNECTIONS,
      seconds: SECONDS,
      host: HOST,
      label: `${framework} ${mode}`,
      links: mode === 'plain' ? 0 : SIGNED_LINKS,
    });
  } finally {
    await s.stop();
  }
}

/** Downloads /stream as fast as the client reads; returns seconds and bytes. */
async function download(framework, mode, pem) {
  const s = await start(framework, mode, 'identical', pem);
  try {
    const t0 = performance.now();
    const bytes = await new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: s.port, path: '/stream', headers: { host: HOST } },
        (res) => {
          let n = 0;
          res.on('data', (c) => (n += c.length));
          res.on('end', () => resolve(n));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
    const seconds = (performance.now() - t0) / 1000;
    const stderr = await s.stop();
    return { seconds, bytes, warned: stderr.includes('MaxListenersExceededWarning') };
  } catch (err) {
    await s.stop();
    throw err;
  }
}

if (process.argv[2] === '--serve') {
  let pem = '';
  process.stdin.on('data', (d) => (pem += d));
  process.stdin.on('end', () => serve(process.argv[3], process.argv[4], process.argv[5], pem));
} else {
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const frameworks = (process.env.BENCH_FRAMEWORKS ?? 'express,koa').split(',');
  const rows = [];
  const verdicts = [];
  for (const framework of frameworks)
    for (const pageKind of ['distinct', 'identical'])
      for (const mode of ['memo-off', 'default']) {
        const r = {
          framework,
          pageKind,
          mode,
          ...(await pairedRounds(
            ROUNDS,
            `${framework} ${pageKind} ${mode}`,
            () => load(framework, 'plain', pageKind, pem),
            () => load(framework, mode, pageKind, pem),
          )),
        };
        rows.push(r);
        if (pageKind === 'distinct')
          verdicts.push(`${framework} ${mode}: ${r.rps >= 0.6 && r.p99 <= 1.6 ? 'met' : 'NOT met'}`);
      }
  const streams = [];
  for (const framework of frameworks) {
    const pairs = [];
    for (let round = 0; round < Math.max(1, ROUNDS - 1); round++) {
      const plain = await download(framework, 'plain', pem);
      const signed = await download(framework, 'default', pem);
      pairs.push({ plain, signed });
      console.log(
        `${framework} stream round ${round + 1}: plain ${plain.seconds.toFixed(2)} s, signed ${signed.seconds.toFixed(2)} s${signed.warned ? ' (MaxListenersExceededWarning)' : ''}`,
      );
    }
    streams.push({
      framework,
      plain: median(pairs.map((p) => p.plain.seconds)),
      signed: median(pairs.map((p) => p.signed.seconds)),
      ratio: median(pairs.map((p) => p.signed.seconds / p.plain.seconds)),
      warned: pairs.some((p) => p.signed.warned || p.plain.warned),
      bytes: pairs[0].signed.bytes,
    });
  }
  let commit = 'n/a';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {}
  const name = { express: 'Express 5', koa: 'Koa 3' };
  const table = rows
    .map(
      (r) =>
        `| ${name[r.framework]} | ${r.pageKind} | ${r.mode} | ${r.plainRps.toFixed(0)} | ${r.signedRps.toFixed(0)} | **${r.rps.toFixed(2)}x** | ${r.plainP99} / ${r.signedP99} | **${r.p99.toFixed(2)}x** | ${r.plainCpu.toFixed(2)} / ${r.signedCpu.toFixed(2)} | ${(1 / r.cpu).toFixed(2)}x |`,
    )
    .join('\n');
  const streamTable = streams
    .map(
      (s) =>
        `| ${name[s.framework]} | ${s.plain.toFixed(2)} | ${s.signed.toFixed(2)} | **${s.ratio.toFixed(2)}x** | ${s.warned ? 'yes' : 'none'} | ${(s.bytes / 2 ** 20).toFixed(0)} MiB |`,
    )
    .join('\n');
  const md = `## Response layer: Express 5 and Koa 3 (\`bench/response.mjs\`)

The standard page (\`bench/page/generate.mjs\`, ~250 KB, 300 protected links, RSA-2048 signer) served
by Express ${versionOf('../packages/express/node_modules/express')} and Koa ${versionOf('../packages/koa/node_modules/koa')}, plain and through
\`cloudfrontSigner\`, each server in a child process, autocannon ${versionOf('autocannon')} on loopback,
${CONNECTIONS} connections, ${SECONDS} s per run after a 1 s warm-up. "distinct": every response differs (a nonce
in \`<head>\`, as a CSRF token or a user name makes real pages differ); "identical": the same bytes every
time. "default" is the adaptive page memo, "memo-off" is \`memo: false\`. Plain and signed run back to
back; ratios are medians over ${ROUNDS} paired rounds. The last columns are the server process's CPU time per
request (\`process.cpuUsage()\` around the timed run) and plain CPU / signed CPU: on a shared machine they
are steadier than req/s, and when the server is CPU-bound, req/s vs plain tends to that ratio.
${machine()}; commit ${commit}.

| framework | page | memo | plain req/s | signed req/s | req/s vs plain | p99 ms plain / signed | p99 vs plain | CPU ms/req plain / signed | CPU plain/signed |
| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${table}

Targets on the distinct page (>= 0.60x plain req/s, p99 <= 1.6x plain): ${verdicts.join('; ')}.

${STREAM_MIB} MiB of HTML written in 16 KiB chunks through an \`events.once(res, 'drain')\` loop (Express) or
into a \`PassThrough\` body (Koa), one protected link per chunk, read by one client as fast as it goes
(median of ${Math.max(1, ROUNDS - 1)} paired rounds; target: within 1.5x of plain, no warning):

| framework | plain s | signed s | signed vs plain | MaxListenersExceededWarning | bytes |
| --- | ---: | ---: | ---: | --- | ---: |
${streamTable}
`;
  writeSection('response', md);
  console.log(md);
}
