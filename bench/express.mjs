// Express 5 serving the standard page: plain, through cloudfrontSigner (url and wildcard mode,
// warm signature cache), and a naive buffer + regex + @aws-sdk/cloudfront-signer middleware.
// Each server runs in its own child process; autocannon drives it on loopback. Writes BENCHMARKS.md.
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { machine, versionOf, writeSection } from './lib.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = 20;
const HOST = 'www.example.com';
const CDN = 'https://d111111abcdef8.cloudfront.net';
const requireExpress = createRequire(new URL('../packages/express/package.json', import.meta.url));

async function serve(mode, pem) {
  const express = requireExpress('express');
  const { generatePage } = await import('./page/generate.mjs');
  const { html } = generatePage();
  const app = express();
  const keyPairId = 'K2JCJMDEHXQW5F';
  if (mode === 'url' || mode === 'wildcard') {
    const { createSigner } = await import('../packages/core/dist/index.node.js');
    const { cloudfrontSigner } = await import('../packages/express/dist/index.js');
    const signer = createSigner({ keyPairId, privateKey: pem });
    const rule =
      mode === 'url'
        ? { match: '/private/**', expiresIn: '1h' }
        : {
            match: '/private/**',
            mode: 'wildcard',
            resource: '/private/*',
            expiresIn: '1h',
            authorize: 'any-viewer',
          };
    app.use(cloudfrontSigner({ signer, rules: { cdn: CDN, origins: [`http://${HOST}`], rules: [rule] } }));
  } else if (mode === 'naive') {
    const { getSignedUrl } = requireExpress('../../node_modules/@aws-sdk/cloudfront-signer');
    app.use((_req, res, next) => {
      const send = res.send;
      res.send = function naive(body) {
        if (typeof body === 'string') {
          const dateLessThan = new Date(Date.now() + 3600_000).toISOString();
          body = body.replace(
            /(["'(\s,])(\/private\/[^"'()\s,<>]+)/g,
            (_m, q, p) => q + getSignedUrl({ url: CDN + p, keyPairId, privateKey: pem, dateLessThan }),
          );
        }
        return send.call(this, body);
      };
      next();
    });
  }
  app.get('/', (_req, res) => res.type('html').send(html));
  const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
}

async function measure(mode, pem) {
  const autocannon = (await import('autocannon')).default;
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', mode], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.end(pem);
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (c) => reject(new Error(`server ${mode} exited ${c}`)));
  });
  try {
    const url = `http://127.0.0.1:${port}/`;
    // Warm-up (signature cache, JIT); not for the naive server, whose queued warm-up requests would eat the run.
    if (mode !== 'naive')
      await autocannon({ url, connections: CONNECTIONS, duration: 1, headers: { host: HOST } });
    const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: { host: HOST } });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${mode}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return { rps: r.requests.total / r.duration, p99: r.latency.p99, bytes: r.throughput.average };
  } finally {
    child.kill();
  }
}

if (process.argv[2] === '--serve') {
  let pem = '';
  process.stdin.on('data', (d) => (pem += d));
  process.stdin.on('end', () => serve(process.argv[3], pem));
} else {
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const modes = [
    ['plain', 'Express 5, page unmodified'],
    ['url', 'cloudfrontSigner, url mode (RSA, warm cache)'],
    ['wildcard', 'cloudfrontSigner, wildcard mode (one policy)'],
    ['naive', 'naive: buffer + regex + AWS SDK getSignedUrl (PEM string)'],
  ];
  const samples = new Map(modes.map(([m]) => [m, []]));
  for (let round = 0; round < ROUNDS; round++)
    for (const [m] of modes) {
      const s = await measure(m, pem);
      samples.get(m).push(s);
      console.log(`round ${round + 1} ${m}: ${s.rps.toFixed(1)} req/s, p99 ${s.p99} ms`);
    }
  const median = (xs) => {
    const s = xs.slice().sort((a, b) => a - b);
    const h = Math.floor(s.length / 2);
    return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
  };
  const res = Object.fromEntries(
    modes.map(([m]) => [
      m,
      { rps: median(samples.get(m).map((s) => s.rps)), p99: median(samples.get(m).map((s) => s.p99)) },
    ]),
  );
  const plain = res.plain;
  const rows = modes.map(([m, label]) => {
    const r = res[m];
    return `| ${label} | ${r.rps.toFixed(1)} | ${((r.rps / plain.rps) * 100).toFixed(1)}% | ${r.p99} | ${(r.p99 / plain.p99).toFixed(2)}x |`;
  });
  const ok = (m) => res[m].rps >= 0.4 * plain.rps && res[m].p99 <= 2 * plain.p99;
  let commit = 'n/a';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {}
  const md = `## Express middleware (\`bench/express.mjs\`)

Standard page of \`bench/page/\` (~250 KB, 300 protected links) from Express 5 in a child process,
autocannon ${versionOf('autocannon')} on loopback, ${CONNECTIONS} connections, ${SECONDS} s per run after a 1 s warm-up,
median of ${ROUNDS} interleaved rounds (the naive server gets no warm-up). ${machine()}; express ${versionOf('../packages/express/node_modules/express')}, commit ${commit}.

| server | req/s | of plain | p99 ms | p99 vs plain |
| --- | ---: | ---: | ---: | ---: |
${rows.join('\n')}

Targets (>= 40% of plain req/s, p99 <= 2x plain): url mode ${ok('url') ? 'met' : 'NOT met'}, wildcard mode ${ok('wildcard') ? 'met' : 'NOT met'}.
`;
  writeSection('express', md);
  console.log(md);
}
