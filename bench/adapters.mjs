// The plugin set: Fastify 5 (@cfsign/fastify) and Hono on @hono/node-server (@cfsign/hono), plain vs
// cloudfrontSigner, on the identical standard page and on a per-request-distinct one (a nonce in
// <head>, as a CSRF token or a user name makes real pages differ). Both share the adaptive page memo
// of @cfsign/response; each is measured with it at its default and off. Each server runs in its own child process; autocannon drives it on
// loopback; plain and signed run back to back (paired rounds) and the ratios are the medians of the
// per-pair ratios. Writes the adapters section of BENCHMARKS.md. Benchmarks only measure: nothing
// here is a test.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { machine, versionOf, writeSection } from './lib.mjs';
import { loadServer, pairedRounds, signedLinks, startServer } from './server-load.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 20;
const HOST = 'www.example.com';
// How many links a signed server must sign on the standard page (its ideal output's count).
const SIGNED_LINKS = signedLinks((await import('./page/generate.mjs')).generatePage().expected);
const CDN = 'https://d111111abcdef8.cloudfront.net';
const requireFastify = createRequire(new URL('../packages/fastify/package.json', import.meta.url));
const requireHono = createRequire(new URL('../packages/hono/package.json', import.meta.url));

/** Server process: `--serve <framework> <plain|signed> <page>`; prints its port. */
async function serve(framework, mode, pageKind, pem) {
  const { generatePage } = await import('./page/generate.mjs');
  const { html } = generatePage();
  let n = 0;
  const page = () =>
    pageKind === 'distinct'
      ? html.replace('<head>', `<head><meta name="csrf" content="${++n}-${Math.random()}">`)
      : html;
  let options;
  if (mode !== 'plain') {
    const { createSigner } = await import('../packages/core/dist/index.node.js');
    options = {
      signer: createSigner({ keyPairId: 'K2JCJMDEHXQW5F', privateKey: pem }),
      rules: { cdn: CDN, origins: [`http://${HOST}`], rules: [{ match: '/private/**', expiresIn: '1h' }] },
      ...(mode === 'memo-off' && { memo: false }),
    };
  }
  const listening = (port) => process.stdout.write(`${port}\n`);
  const cpu = () => {
    const u = process.cpuUsage();
    return { us: u.user + u.system };
  };
  if (framework === 'fastify') {
    const app = requireFastify('fastify')();
    if (options) {
      const { cloudfrontSigner } = await import('../packages/fastify/dist/index.js');
      await app.register(cloudfrontSigner, options);
    }
    app.get('/', (_req, reply) => reply.type('text/html; charset=utf-8').send(page()));
    app.get('/__cpu', () => cpu());
    await app.listen({ port: 0, host: '127.0.0.1' });
    listening(app.server.address().port);
  } else {
    const { Hono } = await import(requireHono.resolve('hono'));
    const { serve: serveNode } = await import(requireHono.resolve('@hono/node-server'));
    const app = new Hono();
    if (options) {
      const { cloudfrontSigner } = await import('../packages/hono/dist/index.js');
      app.use(cloudfrontSigner(options));
    }
    app.get('/', (c) => c.html(page()));
    app.get('/__cpu', (c) => c.json(cpu()));
    const server = serveNode({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      listening(info.port),
    );
    void server;
  }
  process.on('SIGTERM', () => process.exit(0));
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

if (process.argv[2] === '--serve') {
  let pem = '';
  process.stdin.on('data', (d) => (pem += d));
  process.stdin.on('end', () => serve(process.argv[3], process.argv[4], process.argv[5], pem));
} else {
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const frameworks = (process.env.BENCH_FRAMEWORKS ?? 'fastify,hono').split(',');
  const rows = [];
  const verdicts = [];
  // Both adapters share the page memo of Express and Koa: signed runs with the memo at its default
  // (adaptive) and off.
  const runs = [
    ['distinct', 'memo-off'],
    ['distinct', 'signed'],
    ['identical', 'memo-off'],
    ['identical', 'signed'],
  ];
  for (const framework of frameworks)
    for (const [pageKind, mode] of runs) {
      const r = {
        framework,
        pageKind,
        memo: mode === 'memo-off' ? 'memo-off' : 'default',
        ...(await pairedRounds(
          ROUNDS,
          `${framework} ${pageKind} ${mode}`,
          () => load(framework, 'plain', pageKind, pem),
          () => load(framework, mode, pageKind, pem),
        )),
      };
      rows.push(r);
      verdicts.push(
        `${framework} ${pageKind} ${r.memo}: ${r.rps >= 0.6 && r.p99 <= 1.6 ? 'met' : 'NOT met'}`,
      );
    }
  let commit = 'n/a';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {}
  const name = {
    fastify: `Fastify ${versionOf('../packages/fastify/node_modules/fastify')}`,
    hono: `Hono ${versionOf('../packages/hono/node_modules/hono')} on @hono/node-server ${versionOf('../packages/hono/node_modules/@hono/node-server')}`,
  };
  const table = rows
    .map(
      (r) =>
        `| ${name[r.framework]} | ${r.pageKind} | ${r.memo} | ${r.plainRps.toFixed(0)} | ${r.signedRps.toFixed(0)} | **${r.rps.toFixed(2)}x** | ${r.plainP99} / ${r.signedP99} | **${r.p99.toFixed(2)}x** | ${r.plainCpu.toFixed(2)} / ${r.signedCpu.toFixed(2)} | ${(1 / r.cpu).toFixed(2)}x |`,
    )
    .join('\n');
  const md = `## The plugin set: Fastify and Hono on Node (\`bench/adapters.mjs\`)

The standard page (\`bench/page/generate.mjs\`, ~250 KB, 302 protected links, RSA-2048 signer) served
by Fastify through \`@cfsign/fastify\` (a string payload, rewritten whole in \`onSend\`) and by Hono on
\`@hono/node-server\` through \`@cfsign/hono\` (\`c.html(page)\`: a body complete at once, rewritten
whole in one pass by \`@cfsign/response\`), plain and signed, each server in a child process, autocannon ${versionOf('autocannon')} on loopback,
${CONNECTIONS} connections, ${SECONDS} s per run after a 1 s warm-up. "distinct": every response differs (a nonce
in \`<head>\`); "identical": the same bytes every time. Fastify shares the adaptive page memo of Express and
Koa ("default"; "memo-off" is \`memo: false\`), Hono too. Plain and signed run back to back; ratios are medians over ${ROUNDS} paired rounds.
The last columns are the server process's CPU time per request (\`process.cpuUsage()\` around the timed
run) and plain CPU / signed CPU: on a shared machine they are steadier than req/s, and when the server
is CPU-bound, req/s vs plain tends to that ratio. Load average when the run ended:
${loadavg()
  .map((l) => l.toFixed(1))
  .join(', ')} (2 cores shared with other work: req/s and p99 then mostly measure scheduling).
${machine()}; commit ${commit}.

| framework | page | memo | plain req/s | signed req/s | req/s vs plain | p99 ms plain / signed | p99 vs plain | CPU ms/req plain / signed | CPU plain/signed |
| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${table}

Targets (>= 0.60x plain req/s, p99 <= 1.6x plain): ${verdicts.join('; ')}.
`;
  writeSection('adapters', md);
  console.log(md);
}
