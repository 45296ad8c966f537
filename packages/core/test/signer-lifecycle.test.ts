import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { backends, E2030, KEY_ID, key, NOW, rawParam } from './helpers.js';

const CDN = 'https://d111111abcdef8.cloudfront.net';

describe.each(backends)('cache, keyring and external signers on the %s backend', (_name, api) => {
  test('within one bucket the same link yields the identical URL, RSA and ECDSA alike', async () => {
    for (const file of ['rsa-pkcs8.pem', 'ec-pkcs8.pem']) {
      const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key(file), cache: { bucket: '5m' } });
      const at = (s: number) => signer.signUrl(`${CDN}/a.jpg`, { expiresIn: '10m', now: NOW + s * 1000 });
      const seen = new Map<number, string>();
      let last = 0;
      for (let s = 0; s < 600; s += 7) {
        const url = await at(s);
        const expires = Number(rawParam(url, 'Expires'));
        // Rounded up, by less than one bucket, and never moving backwards.
        expect(expires - (NOW / 1000 + s + 600)).toBeGreaterThanOrEqual(0);
        expect(expires - (NOW / 1000 + s + 600)).toBeLessThan(300);
        expect(expires).toBeGreaterThanOrEqual(last);
        last = expires;
        // One URL per bucket: the same expiry is the identical URL, a new one a new signature.
        const before = seen.get(expires);
        if (before !== undefined) expect(url).toBe(before);
        else for (const other of seen.values()) expect(url).not.toBe(other);
        seen.set(expires, url);
      }
      // 600 s are two buckets of 300 s and part of a third, all starting at the link's own phase.
      const expiries = [...seen.keys()];
      expect(expiries.length).toBeGreaterThanOrEqual(2);
      expect(expiries.length).toBeLessThanOrEqual(3);
      for (const e of expiries) expect((e - expiries[0]!) % 300).toBe(0);
    }
  });

  test('the links of one page do not all roll over to a new bucket in the same second', async () => {
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key('ec-pkcs8.pem') });
    const expiries = new Set<number>();
    for (let i = 0; i < 60; i++) {
      const url = await signer.signUrl(`${CDN}/private/img/${i}.jpg`, { expiresIn: '1h', now: NOW });
      const expires = Number(rawParam(url, 'Expires'));
      expect(expires - (NOW / 1000 + 3600)).toBeGreaterThanOrEqual(0);
      expect(expires - (NOW / 1000 + 3600)).toBeLessThan(60);
      expiries.add(expires);
    }
    // With one shared boundary every cached signature would expire at once (300 RSA signatures stall
    // a server for a good part of a second); spread, they are renewed a few per second.
    expect(expiries.size).toBeGreaterThanOrEqual(20);
  });

  test('links that differ only in the middle of their path are spread as well', async () => {
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key('ec-pkcs8.pem') });
    const expiries = new Set<number>();
    for (let i = 0; i < 60; i++) {
      const url = `${CDN}/private/users/${1000 + i}/avatars/profile-picture-large.jpg`;
      expiries.add(Number(rawParam(await signer.signUrl(url, { expiresIn: '1h', now: NOW }), 'Expires')));
    }
    expect(expiries.size).toBeGreaterThanOrEqual(20);
  });

  test('a cached link is found again: the phase read back from its cache entry is the one it was signed with', async () => {
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key('ec-pkcs8.pem') });
    const links = Array.from({ length: 30 }, (_, i) => `${CDN}/private/users/${i}/a.jpg`);
    const first = await Promise.all(links.map((l) => signer.signUrl(l, { expiresIn: '1h', now: NOW })));
    const again = await Promise.all(links.map((l) => signer.signUrl(l, { expiresIn: '1h', now: NOW + 400 })));
    expect(again).toEqual(first);
    expect(signer.cacheStats()!.hits).toBe(30);
  });

  test('a relative link is resolved against the base as it is now, even when the same URL object changed', async () => {
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-pkcs8.pem') });
    const base = new URL(`${CDN}/alice/`);
    const alice = await signer.signUrl('photo.jpg', { base, expiresIn: '1h', now: NOW });
    base.pathname = '/bob/';
    const bob = await signer.signUrl('photo.jpg', { base, expiresIn: '1h', now: NOW });
    expect(alice.startsWith(`${CDN}/alice/photo.jpg?`)).toBe(true);
    expect(bob.startsWith(`${CDN}/bob/photo.jpg?`)).toBe(true);
    // The same base text is still a hit.
    expect(await signer.signUrl('photo.jpg', { base: `${CDN}/bob/`, expiresIn: '1h', now: NOW })).toBe(bob);
  });

  test('without a cache, expiry is exactly now + expiresIn (floored)', async () => {
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-pkcs8.pem'), cache: false });
    const url = await signer.signUrl(`${CDN}/a.jpg`, { expiresIn: 600, now: NOW + 999 });
    expect(rawParam(url, 'Expires')).toBe(String(NOW / 1000 + 600));
  });

  test('the cache bound holds memory, keeps recently used links and counts hits', async () => {
    let calls = 0;
    const pem = key('rsa-pkcs8.pem');
    const signer = api.createSigner({
      keyPairId: KEY_ID,
      sign: async (data, hash) => {
        calls++;
        return nodeSign(hash === 'SHA256' ? 'sha256' : 'sha1', data, createPrivateKey(pem));
      },
      cache: { maxEntries: 20 },
    });
    for (let i = 0; i < 200; i++) {
      await signer.signUrl(`${CDN}/hot.jpg`, { expiresIn: '10m', now: NOW });
      await signer.signUrl(`${CDN}/cold-${i}.jpg`, { expiresIn: '10m', now: NOW });
      expect(signer.cacheStats()!.size).toBeLessThanOrEqual(20);
    }
    expect(calls).toBe(201); // the hot link was signed once, every cold one once
    expect(signer.cacheStats()).toMatchObject({ maxEntries: 20, hits: 199, misses: 201 });
    expect(api.createSigner({ keyPairId: KEY_ID, privateKey: pem, cache: false }).cacheStats()).toBeNull();
  });

  test('a keyring signs with the active key and rotates with useKey', async () => {
    const signer = api.createSigner({
      keyring: { active: 'KOLD', keys: { KOLD: key('rsa-pkcs8.pem'), KNEW: key('rsa2-pkcs8.pem') } },
    });
    const keys = { KOLD: key('rsa-public.pem'), KNEW: key('rsa2-public.pem') };
    const before = await signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, now: NOW });
    signer.useKey('KNEW');
    const after = await signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, now: NOW });
    expect(rawParam(before, 'Key-Pair-Id')).toBe('KOLD');
    expect(rawParam(after, 'Key-Pair-Id')).toBe('KNEW');
    expect((await api.verifySignedUrl(before, { keys, now: NOW })).ok).toBe(true);
    expect((await api.verifySignedUrl(after, { keys, now: NOW })).ok).toBe(true);
    expect(() => signer.useKey('KNOPE')).toThrow(
      expect.objectContaining({ code: 'ERR_UNKNOWN_KEY_PAIR_ID' }),
    );
    expect(() =>
      api.createSigner({ keyring: { active: 'KX', keys: { KOLD: key('rsa-pkcs8.pem') } } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_KEY_PAIR_ID' }));
  });

  test('a KMS-style async signer implies SHA-256 and its DER signature verifies', async () => {
    const pem = key('ec-pkcs8.pem');
    const seen: string[] = [];
    const signer = api.createSigner({
      keyPairId: KEY_ID,
      keyType: 'ec',
      sign: async (data, hash) => {
        seen.push(hash);
        await new Promise((r) => setTimeout(r, 1));
        return nodeSign('sha256', data, createPrivateKey(pem));
      },
    });
    const url = await signer.signUrl(`${CDN}/a.jpg`, { dateLessThan: E2030, now: NOW });
    expect(seen).toEqual(['SHA256']);
    expect(url).toMatch(/&Hash-Algorithm=SHA256$/);
    expect((await api.verifySignedUrl(url, { keys: { [KEY_ID]: key('ec-public.pem') }, now: NOW })).ok).toBe(
      true,
    );
  });

  test('an external signer that rejects, returns junk or hangs gives ERR_SIGNER_FAILED', async () => {
    const failing = api.createSigner({
      keyPairId: KEY_ID,
      sign: async () => Promise.reject(new Error('KMS throttled')),
    });
    await expect(failing.signUrl(`${CDN}/a.jpg`, { expiresIn: 600 })).rejects.toMatchObject({
      code: 'ERR_SIGNER_FAILED',
      cause: { message: 'KMS throttled' },
    });
    const junk = api.createSigner({ keyPairId: KEY_ID, sign: async () => 'sig' as never });
    await expect(junk.signUrl(`${CDN}/a.jpg`, { expiresIn: 600 })).rejects.toMatchObject({
      code: 'ERR_SIGNER_FAILED',
      message: expect.stringMatching(/Uint8Array/),
    });
    const hanging = api.createSigner({
      keyPairId: KEY_ID,
      sign: () => new Promise(() => {}),
      signTimeout: 0.05,
    });
    await expect(hanging.signUrl(`${CDN}/a.jpg`, { expiresIn: 600 })).rejects.toMatchObject({
      code: 'ERR_SIGNER_FAILED',
      message: expect.stringMatching(/timed out/),
    });
  });

  test('signTimeout is in seconds (fractions too): a signer answering after a 30 ms timer is in time', async () => {
    const pem = key('rsa-pkcs8.pem');
    const slow = async (data: Uint8Array) => {
      await new Promise((r) => setTimeout(r, 30));
      return nodeSign('sha256', data, createPrivateKey(pem));
    };
    for (const signTimeout of [undefined, '2s', 0.5, 3]) {
      const signer = api.createSigner({ keyPairId: KEY_ID, sign: slow, signTimeout });
      expect(await signer.signUrl(`${CDN}/a.jpg`, { expiresIn: 600, now: NOW })).toMatch(/&Signature=/);
    }
    for (const signTimeout of [0, -1, -0.5, '-1s'])
      expect(() =>
        api.createSigner({ keyPairId: KEY_ID, sign: slow, signTimeout: signTimeout as never }),
      ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_DURATION' }));
  });

  test('createSigner options: undefined ones are ignored; cache is true, false or { maxEntries >= 2, bucket }', () => {
    const o = { keyPairId: KEY_ID, privateKey: key('ec-pkcs8.pem') };
    expect(api.createSigner({ ...o, typo: undefined } as never).keyPairId).toBe(KEY_ID);
    expect(() => api.createSigner({ ...o, typo: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    for (const cache of [
      undefined,
      true,
      {},
      { maxEntries: 2 },
      { bucket: '5m' },
      { maxEntries: 10, bucket: 60 },
    ])
      expect(api.createSigner({ ...o, cache: cache as never }).cacheStats()).not.toBeNull();
    expect(api.createSigner({ ...o, cache: { maxEntries: 2 } }).cacheStats()?.maxEntries).toBe(2);
    expect(api.createSigner({ ...o, cache: false }).cacheStats()).toBeNull();
    for (const cache of [
      { maxEntries: 1 },
      { maxEntries: 2.5 },
      { maxEntries: '10' },
      { maxEntries: 10, other: 1 },
      { other: 1 },
      'yes',
      [],
      null,
    ])
      expect(() => api.createSigner({ ...o, cache: cache as never })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
  });

  test('signPolicy with a cache signs a policy once, and another policy anew', async () => {
    let calls = 0;
    const pem = key('rsa-pkcs8.pem');
    const signer = api.createSigner({
      keyPairId: KEY_ID,
      sign: async (data) => {
        calls++;
        return nodeSign('sha256', data, createPrivateKey(pem));
      },
    });
    const o = { expiresIn: '1h', now: NOW };
    const a = await signer.signPolicy({ resource: `${CDN}/a/*`, ...o });
    expect(await signer.signPolicy({ resource: `${CDN}/a/*`, ...o })).toEqual(a);
    const b = await signer.signPolicy({ resource: `${CDN}/b/*`, ...o });
    expect(calls).toBe(2);
    const keys = { [KEY_ID]: key('rsa-public.pem') };
    expect((await api.verifySignedUrl(`${CDN}/b/x.jpg?${b.query}`, { keys, now: NOW })).ok).toBe(true);
  });

  test('signPolicy: one signature shared by every URL the resource covers', async () => {
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-pkcs8.pem') });
    const p = await signer.signPolicy({ resource: `${CDN}/video/1/*`, expiresIn: '1h', now: NOW });
    expect(p.query).toMatch(
      new RegExp(`^Policy=[A-Za-z0-9_~-]+&Signature=[A-Za-z0-9_~-]+&Key-Pair-Id=${KEY_ID}$`),
    );
    const keys = { [KEY_ID]: key('rsa-public.pem') };
    for (const seg of ['index.m3u8', 'seg-1.ts', 'a/b/c.ts?x=1'])
      expect(
        (
          await api.verifySignedUrl(`${CDN}/video/1/${seg}${seg.includes('?') ? '&' : '?'}${p.query}`, {
            keys,
            now: NOW,
          })
        ).ok,
      ).toBe(true);
    expect((await api.verifySignedUrl(`${CDN}/video/2/seg-1.ts?${p.query}`, { keys, now: NOW })).reason).toBe(
      'resource-mismatch',
    );
  });

  test('signUrlSync serves a cached link as signUrl does', async () => {
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: key('ec-pkcs8.pem') });
    if (!signer.canSignSync) return; // WebCrypto signs asynchronously only
    const first = signer.signUrlSync(`${CDN}/a.jpg`, { expiresIn: '10m', now: NOW });
    expect(signer.signUrlSync(`${CDN}/a.jpg`, { expiresIn: '10m', now: NOW })).toBe(first);
    expect(await signer.signUrl(`${CDN}/a.jpg`, { expiresIn: '10m', now: NOW })).toBe(first);
    expect(signer.cacheStats()).toMatchObject({ size: 1, hits: 2, misses: 1 });
  });

  test('a signer prints and serializes as its key id, key type and hash only', () => {
    const local = api.createSigner({ keyPairId: KEY_ID, privateKey: key('rsa-pkcs8.pem') });
    expect(JSON.parse(JSON.stringify(local))).toEqual({
      keyPairId: KEY_ID,
      keyType: 'rsa',
      hashAlgorithm: 'SHA1',
    });
    expect(String(local)).toMatch(
      new RegExp(`^Signer \\{ keyPairId: '${KEY_ID}', keyType: 'rsa', hashAlgorithm: 'SHA1', backend: '`),
    );
    const external = api.createSigner({ keyPairId: KEY_ID, sign: async () => new Uint8Array(256) });
    expect(String(external)).toContain("keyType: 'external', hashAlgorithm: 'SHA256'");
    expect(inspect(external)).toBe(String(external));
    expect(JSON.parse(JSON.stringify(external))).toEqual({
      keyPairId: KEY_ID,
      keyType: null,
      hashAlgorithm: 'SHA256',
    });
  });

  test('key material never shows in inspect, JSON or errors', async () => {
    const pem = key('rsa-pkcs8.pem');
    const body = pem.split('\n').slice(1, -2).join('');
    const signer = api.createSigner({ keyPairId: KEY_ID, privateKey: pem });
    const texts = [inspect(signer, { showHidden: true, depth: 10 }), JSON.stringify(signer), String(signer)];
    try {
      api.createSigner({ keyPairId: KEY_ID, privateKey: pem.replace('MII', 'XII') });
    } catch (err) {
      texts.push(String(err), (err as Error).stack ?? '', inspect(err, { depth: 10 }));
    }
    for (const text of texts) {
      expect(text).not.toMatch(/-----(BEGIN|END)/);
      for (let i = 0; i + 16 <= body.length; i += 16) expect(text).not.toContain(body.slice(i, i + 16));
    }
    expect(texts[0]).toContain(KEY_ID);
  });
});
