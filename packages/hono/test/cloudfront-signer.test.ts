import { vi } from 'vitest';
import { runAdapterCases } from '../../../test/adapters/cases.js';
import { honoNodeAdapter } from './node-app.js';

const logs: string[] = [];
for (const level of ['log', 'warn', 'error', 'debug'] as const)
  vi.spyOn(console, level).mockImplementation(
    (...args: unknown[]) => void logs.push(args.map(String).join(' ')),
  );

runAdapterCases(honoNodeAdapter(logs));
