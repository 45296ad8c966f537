import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { PUMP_SLACK, Pump } from '../src/pump.js';

/** A destination that reports backpressure on every write, as a response's socket does once it holds a chunk. */
function destination() {
  const got: Buffer[] = [];
  let held = 0;
  return {
    got,
    write: (chunk: Buffer) => {
      got.push(chunk);
      held += chunk.length;
      return false;
    },
    backlog: () => held,
    flush: () => {
      held = 0;
    },
  };
}

const chunk = (n: number) => Buffer.alloc(16 * 1024 + 400, n);
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Pump', () => {
  test('without a backlog it pauses the source at the first write that reports backpressure', async () => {
    const source = new PassThrough();
    const d = destination();
    const pump = new Pump(source, d.write, () => {});
    pump.start();
    for (let i = 0; i < 4; i++) source.write(chunk(i));
    await tick();
    expect(d.got).toHaveLength(1);
    expect(pump.congested).toBe(true);
  });

  test('with a backlog it keeps writing until the destination holds the slack, then pauses until drained', async () => {
    const source = new PassThrough({ highWaterMark: 1 << 20 });
    const d = destination();
    let ended = false;
    const pump = new Pump(
      source,
      d.write,
      () => {
        ended = true;
      },
      d.backlog,
    );
    pump.start();
    for (let i = 0; i < 12; i++) source.write(chunk(i));
    source.end();
    await tick();
    // 16.4 KiB chunks: the fourth brings the destination to the 64 KiB slack.
    const first = Math.ceil(PUMP_SLACK / chunk(0).length);
    expect(d.got).toHaveLength(first);
    expect(pump.congested).toBe(true);
    d.flush();
    pump.drained();
    await tick();
    expect(d.got).toHaveLength(2 * first);
    d.flush();
    pump.drained();
    await tick();
    d.flush();
    pump.drained();
    await tick();
    expect(d.got.map((c) => c[0])).toEqual([...Array(12).keys()]);
    expect(ended).toBe(true);
  });
});
