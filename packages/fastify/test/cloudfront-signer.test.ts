import compress5 from '@fastify/compress';
import static5 from '@fastify/static';
import fastify5 from 'fastify';
import compress4 from 'fastify-compress4';
import static4 from 'fastify-static4';
import fastify4 from 'fastify4';
import { vi } from 'vitest';
import { runAdapterCases } from '../../../test/adapters/cases.js';
import { fastifyAdapter } from './app.js';

const logs: string[] = [];
for (const level of ['log', 'warn', 'error', 'info', 'debug'] as const)
  vi.spyOn(console, level).mockImplementation(
    (...args: unknown[]) => void logs.push(args.map(String).join(' ')),
  );

const common = ['string', 'buffer', 'stream', 'chunks', 'static', 'send-file'] as const;
runAdapterCases(
  fastifyAdapter(
    {
      name: 'fastify 5',
      fastify: fastify5,
      compress: compress5,
      serveStatic: static5,
      sources: [...common, 'web-stream', 'response'],
    },
    logs,
  ),
);
runAdapterCases(
  fastifyAdapter(
    {
      name: 'fastify 4',
      fastify: fastify4,
      compress: compress4,
      serveStatic: static4,
      sources: common,
    },
    logs,
  ),
);
