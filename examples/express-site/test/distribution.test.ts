import { fileURLToPath } from 'node:url';
import { type CliIo, runCli } from '@cfsign/cli';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// @ts-expect-error plain ESM module of the example
import { startDemo } from '../src/demo.mjs';
// @ts-expect-error plain ESM module of the example
import { DEMO_KEY_PAIR_ID } from '../src/keys.mjs';

const example = fileURLToPath(new URL('..', import.meta.url));

describe("the demo's distribution.json", () => {
  test('passes cfsign check against the rules the demo signs by', async () => {
    const out: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      now: () => Date.now(),
      cwd: example,
    };
    const args = [
      'check',
      '--distribution',
      'distribution.json',
      '--key-groups',
      'key-group.json',
      '--rules',
      'rules.json',
      '--key-pair-id',
      DEMO_KEY_PAIR_ID,
    ];
    const code = await runCli(args, io);
    expect(out).toEqual(['cfsign check: no findings (4 behaviors, 3 rules).']);
    expect(code).toBe(0);
    // The check is not vacuous: signing with another key is caught on both restricted behaviors.
    out.length = 0;
    expect(await runCli([...args.slice(0, -1), 'KOTHERKEY00001', '--json'], io)).toBe(1);
    expect(JSON.parse(out.join('')).findings.map((f: { behavior: string }) => f.behavior)).toEqual([
      '/private/*',
      '/video/*',
    ]);
  });

  describe('is what the demo emulator runs', () => {
    type Demo = { cdnUrl: string; close(): Promise<void> };
    let demo: Demo;
    beforeAll(async () => {
      demo = await startDemo();
    });
    afterAll(() => demo?.close());

    test('its behaviors: /private/* and /video/* need a signature, /public/* and the pages do not', async () => {
      const status = async (path: string) => (await fetch(`${demo.cdnUrl}${path}`)).status;
      expect(await status('/private/gallery/aurora-400.png')).toBe(403);
      expect(await status('/video/demo/master.m3u8')).toBe(403);
      expect(await status('/public/logo.png')).toBe(200);
      // The default behavior goes to the app with the origin custom header: the page answers.
      const page = await fetch(`${demo.cdnUrl}/`);
      expect(page.status).toBe(200);
      const signed = [...(await page.text()).matchAll(/src="([^"]*\/private\/[^"]*)"/g)].map((m) =>
        m[1]!.replaceAll('&amp;', '&'),
      );
      expect(signed.length).toBeGreaterThan(0);
      for (const url of signed.slice(0, 2)) expect(await status(url.slice(demo.cdnUrl.length))).toBe(200);
    });
  });
});
