/**
 * Runs once when the server starts: resolves the signing configuration (reads the environment,
 * parses the key, compiles the rules), so a server with a missing key or a bad rule fails at start,
 * not on a visitor's first request. Skipped while `next build` runs (dynamic pages need no key there).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { getSigning } = await import('./lib/cfsign');
  await getSigning();
}
