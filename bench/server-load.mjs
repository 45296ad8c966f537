// Load runs against a bench server in a child process, shared by bench/response.mjs and
// bench/adapters.mjs: the child is the bench script itself started with `--serve ...args`; it reads
// the PEM on stdin, prints its port, and answers GET /__cpu with its CPU time in microseconds.
import { spawn } from 'node:child_process';
import { request } from 'node:http';

/** Starts `script --serve ...args` and resolves with its port and a stop() returning its stderr. */
export async function startServer(script, args, pem) {
  const child = spawn(process.execPath, [script, '--serve', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(pem);
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (c) => reject(new Error(`server ${args.join(' ')} exited ${c}: ${stderr}`)));
  });
  return {
    port,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      return stderr;
    },
  };
}

/**
 * One autocannon run (after a 1 s warm-up) against a started server: req/s, p99 (ms) and the
 * server's CPU per request (ms), which is steadier than req/s on a shared machine.
 */
export async function loadServer(server, { connections, seconds, host, label, links }) {
  const autocannon = (await import('autocannon')).default;
  const url = `http://127.0.0.1:${server.port}/`;
  // A server that stopped signing would be timed as a fast signed one: count the page's signed links.
  const found = signedLinks(await getPage(server.port, host));
  if (found !== links) throw new Error(`${label}: the page carries ${found} signed links, not ${links}`);
  const cpuOf = async () =>
    (await (await fetch(`http://127.0.0.1:${server.port}/__cpu`, { headers: { host } })).json()).us;
  await autocannon({ url, connections, duration: 1, headers: { host } });
  const c0 = await cpuOf();
  const r = await autocannon({ url, connections, duration: seconds, headers: { host } });
  const c1 = await cpuOf();
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${label}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return {
    rps: r.requests.total / r.duration,
    p99: r.latency.p99,
    cpuMs: (c1 - c0) / 1000 / r.requests.total,
  };
}

/** How many signed links a page carries: occurrences of CloudFront's `Signature=` parameter. */
export const signedLinks = (body) => body.split('Signature=').length - 1;

/** GET / with the given Host header (fetch would not send one), as text. */
function getPage(port, host) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The median of a list of numbers. */
export const median = (xs) => {
  const s = xs.slice().sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/**
 * Runs `plain` then `signed` back to back `rounds` times (paired rounds), logging each pair, and returns
 * the medians: absolute figures of each side and the medians of the per-pair ratios.
 */
export async function pairedRounds(rounds, label, plainRun, signedRun) {
  const pairs = [];
  for (let round = 0; round < rounds; round++) {
    const plain = await plainRun();
    const signed = await signedRun();
    pairs.push({
      plain,
      signed,
      rps: signed.rps / plain.rps,
      p99: signed.p99 / plain.p99,
      cpu: signed.cpuMs / plain.cpuMs,
    });
    console.log(
      `${label} round ${round + 1}: plain ${plain.rps.toFixed(0)} req/s p99 ${plain.p99} ms, signed ${signed.rps.toFixed(0)} req/s p99 ${signed.p99} ms; server CPU ms/req ${plain.cpuMs.toFixed(2)} / ${signed.cpuMs.toFixed(2)}`,
    );
  }
  const m = (f) => median(pairs.map(f));
  return {
    plainRps: m((p) => p.plain.rps),
    signedRps: m((p) => p.signed.rps),
    plainP99: m((p) => p.plain.p99),
    signedP99: m((p) => p.signed.p99),
    rps: m((p) => p.rps),
    p99: m((p) => p.p99),
    plainCpu: m((p) => p.plain.cpuMs),
    signedCpu: m((p) => p.signed.cpuMs),
    cpu: m((p) => p.cpu),
  };
}
