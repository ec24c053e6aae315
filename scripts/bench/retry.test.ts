import { describe, expect, it } from 'vitest';
import { MeasurementError, type BenchContext } from './measure.ts';
import { ATTEMPTS, withRetries } from './retry.ts';

const context = () => ({ notes: [] as string[] }) as unknown as BenchContext;

describe('withRetries', () => {
  it('measures a failed step again after a reset, and notes it', async () => {
    const ctx = context();
    const count = { retried: 0 };
    let calls = 0;
    let resets = 0;
    const sample = await withRetries(ctx, 'baseline approval round 3', async () => {
      if (++calls === 1) throw new MeasurementError("baseline approve round trip: the page's request timed out");
      return 42;
    }, { reset: async () => void resets++, count });
    expect(sample).toBe(42);
    expect([calls, resets, count.retried]).toEqual([2, 1, 1]);
    expect(ctx.notes[0]).toMatch(/round 3: attempt 1 discarded \(baseline approve round trip: the page's request timed out\)/);
  });

  it('discards a stretched sample, and keeps the last one when every attempt is stretched', async () => {
    const ctx = context();
    const clicks = [2, 1];
    const first = await withRetries(ctx, 'x', async () => clicks.shift() as number, {
      usable: (c) => (c > 1 ? `${c} clicks` : null),
      reset: async () => undefined,
      count: { retried: 0 },
    });
    expect(first).toBe(1);
    const always = await withRetries(ctx, 'y', async () => 3, {
      usable: () => 'stretched',
      reset: async () => undefined,
      count: { retried: 0 },
    });
    expect(always).toBe(3);
    expect(ctx.notes.at(-1)).toBe(`y: stretched on all ${ATTEMPTS} attempts; the last sample is kept`);
  });

  it('gives up after the last attempt, and does not retry what is not a measurement failure', async () => {
    let calls = 0;
    const failing = () =>
      withRetries(context(), 'z', async () => {
        calls++;
        throw new MeasurementError('still failing');
      }, { reset: async () => undefined, count: { retried: 0 } });
    await expect(failing()).rejects.toThrow('still failing');
    expect(calls).toBe(ATTEMPTS);
    calls = 0;
    await expect(
      withRetries(context(), 'bug', async () => {
        calls++;
        throw new TypeError('a bug');
      }, { reset: async () => undefined, count: { retried: 0 } }),
    ).rejects.toThrow('a bug');
    expect(calls).toBe(1);
  });
});
