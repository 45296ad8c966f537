/**
 * The shared adapter cases on Hono inside workerd, and the bundle's environment: the web build of
 * the core, no node:* module.
 */
import { describe, expect, it, vi } from 'vitest';
import { runAdapterCases } from '../../../test/adapters/cases.js';
import { appBundle, honoRemoteAdapter } from './remote-app.js';

const logs: string[] = [];
for (const level of ['log', 'warn', 'error', 'debug'] as const)
  vi.spyOn(console, level).mockImplementation(
    (...args: unknown[]) => void logs.push(args.map(String).join(' ')),
  );

describe('the worker bundle', () => {
  it('holds the web build of the core and of @cfsign/web, and no node:* import', async () => {
    const { text, inputs } = await appBundle('workerd');
    expect(inputs.some((p) => p.endsWith('packages/core/src/index.web.ts'))).toBe(true);
    expect(inputs.some((p) => p.endsWith('packages/web/src/sign-response.ts'))).toBe(true);
    expect(inputs.filter((p) => /index\.node|crypto\/node/.test(p))).toEqual([]);
    expect(text).not.toMatch(/from\s*["']node:/);
  });
});

runAdapterCases(honoRemoteAdapter('workerd', logs));
