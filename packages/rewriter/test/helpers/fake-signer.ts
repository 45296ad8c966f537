import type { Signer } from '@cfsign/core';

/** A counting signer with the core contract's shape (no crypto). */
export function fakeSigner(opts: { sync?: boolean } = {}) {
  const calls = {
    url: [] as { url: string; opts: Record<string, unknown> }[],
    policy: [] as Record<string, unknown>[],
    cookies: [] as string[],
  };
  const signUrlSync = (url: string | URL, o: Record<string, unknown>) => {
    const s = String(url);
    calls.url.push({ url: s, opts: o });
    const h = s.indexOf('#');
    const [base, frag] = h < 0 ? [s, ''] : [s.slice(0, h), s.slice(h)];
    return `${base}${base.includes('?') ? '&' : '?'}Expires=9&Signature=SIG&Key-Pair-Id=K${frag}`;
  };
  const signer = {
    keyPairId: 'K',
    keyType: 'rsa',
    hashAlgorithm: 'SHA1',
    canSignSync: opts.sync ?? true,
    signUrlSync,
    signUrl: async (url: string | URL, o: Record<string, unknown>) => signUrlSync(url, o),
    signPolicy: async (o: Record<string, unknown>) => {
      calls.policy.push(o);
      const n = calls.policy.length;
      return {
        policy: '{}',
        query: `Policy=P${n}&Signature=S${n}&Key-Pair-Id=K`,
        signature: `S${n}`,
        expires: 9,
        keyPairId: 'K',
        hashAlgorithm: 'SHA1',
      };
    },
    signCookies: async (resource: string) => {
      calls.cookies.push(resource);
      return {
        cookies: [],
        setCookie: [`CloudFront-Policy=X; Path=${new URL(resource.replace('*', '')).pathname}`],
        values: {},
        expires: 9,
      };
    },
    clearCookies: () => [],
    useKey: () => {},
  } as unknown as Signer;
  return { signer, calls };
}
