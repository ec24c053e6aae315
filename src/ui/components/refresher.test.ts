import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeVisibility } from '../../../test/support/fake-visibility.ts';
import { PUSH_DEBOUNCE_MS, keepFresh } from './refresher.ts';

/** A page whose visibility the test switches, and a wallet whose pushes the test fires. */
function fakes() {
  const visibility = fakeVisibility(true);
  const pushListeners = new Set<() => void>();
  return {
    visibility,
    subscribe(listener: () => void) {
      pushListeners.add(listener);
      return () => pushListeners.delete(listener);
    },
    push: () => pushListeners.forEach((l) => l()),
    setVisible: (next: boolean) => visibility.set(next),
    listenerCount: () => pushListeners.size + visibility.listenerCount(),
  };
}

describe('keepFresh', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('loads once and then never again without a push: no polling unless asked', async () => {
    const f = fakes();
    const load = vi.fn(async () => 1);
    const values: number[] = [];
    const stop = keepFresh(load, (v) => values.push(v), () => undefined, f);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(load).toHaveBeenCalledTimes(1);
    expect(values).toEqual([1]);
    stop();
  });

  it('a burst of pushes causes one load after the debounce', async () => {
    const f = fakes();
    let n = 0;
    const load = vi.fn(async () => ++n);
    const values: number[] = [];
    const stop = keepFresh(load, (v) => values.push(v), () => undefined, f);
    await vi.advanceTimersByTimeAsync(0);
    f.push();
    f.push();
    f.push();
    await vi.advanceTimersByTimeAsync(PUSH_DEBOUNCE_MS - 1);
    expect(load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(load).toHaveBeenCalledTimes(2);
    expect(values).toEqual([1, 2]);
    stop();
  });

  it('a push during a load causes exactly one more load after it, so answers arrive in order', async () => {
    const f = fakes();
    const resolvers: ((v: number) => void)[] = [];
    const load = vi.fn(() => new Promise<number>((r) => resolvers.push(r)));
    const values: number[] = [];
    const stop = keepFresh(load, (v) => values.push(v), () => undefined, f);
    f.push();
    await vi.advanceTimersByTimeAsync(PUSH_DEBOUNCE_MS);
    f.push();
    await vi.advanceTimersByTimeAsync(PUSH_DEBOUNCE_MS);
    expect(load).toHaveBeenCalledTimes(1);
    resolvers[0]?.(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(load).toHaveBeenCalledTimes(2);
    resolvers[1]?.(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(values).toEqual([1, 2]);
    expect(load).toHaveBeenCalledTimes(2);
    stop();
  });

  it('coming back into view or focus loads again; hidden stops the timer', async () => {
    const f = fakes();
    const load = vi.fn(async () => 'x');
    const stop = keepFresh(load, () => undefined, () => undefined, { ...f, pollMs: 1_000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(load).toHaveBeenCalledTimes(1);
    f.setVisible(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(load).toHaveBeenCalledTimes(1);
    f.setVisible(true);
    await vi.advanceTimersByTimeAsync(PUSH_DEBOUNCE_MS);
    expect(load).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(load).toHaveBeenCalledTimes(3);
    stop();
  });

  it('reports failures and keeps listening', async () => {
    const f = fakes();
    const load = vi.fn().mockRejectedValueOnce(new Error('worker asleep')).mockResolvedValue(7);
    const errors: unknown[] = [];
    const values: number[] = [];
    const stop = keepFresh(load, (v: number) => values.push(v), (e) => errors.push(e), f);
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    f.push();
    await vi.advanceTimersByTimeAsync(PUSH_DEBOUNCE_MS);
    expect(values).toEqual([7]);
    stop();
  });

  it('stopping unsubscribes and drops answers still in flight', async () => {
    const f = fakes();
    let resolve: (v: number) => void = () => undefined;
    const load = vi.fn(() => new Promise<number>((r) => (resolve = r)));
    const values: number[] = [];
    const stop = keepFresh(load, (v) => values.push(v), () => undefined, f);
    expect(f.listenerCount()).toBe(2);
    stop();
    expect(f.listenerCount()).toBe(0);
    resolve(1);
    f.push();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(values).toEqual([]);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
