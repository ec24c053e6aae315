import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeVisibility } from '../../../test/support/fake-visibility.ts';
import { ARMING_DELAY_MS, watchArming } from './arming.ts';

describe('watchArming', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('arms only after the page has been visible for the whole delay', () => {
    const page = fakeVisibility(true);
    const states: boolean[] = [];
    const stop = watchArming(page, (armed) => states.push(armed));
    vi.advanceTimersByTime(ARMING_DELAY_MS - 1);
    expect(states).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(states).toEqual([true]);
    stop();
  });

  it('a hidden page never arms; shown, it waits the full delay from then', () => {
    const page = fakeVisibility(false);
    const states: boolean[] = [];
    const stop = watchArming(page, (armed) => states.push(armed));
    vi.advanceTimersByTime(10_000);
    expect(states).toEqual([]);
    page.set(true);
    vi.advanceTimersByTime(ARMING_DELAY_MS - 1);
    expect(states).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(states).toEqual([true]);
    stop();
  });

  it('hiding disarms; shown again it re-arms only after another full delay', () => {
    const page = fakeVisibility(true);
    const states: boolean[] = [];
    const stop = watchArming(page, (armed) => states.push(armed));
    vi.advanceTimersByTime(ARMING_DELAY_MS);
    page.set(false);
    expect(states).toEqual([true, false]);
    page.set(true);
    vi.advanceTimersByTime(ARMING_DELAY_MS - 1);
    expect(states).toEqual([true, false]);
    vi.advanceTimersByTime(1);
    expect(states).toEqual([true, false, true]);
    stop();
  });

  it('a hide within the delay restarts it; focus events do not shorten or restart it', () => {
    const page = fakeVisibility(true);
    const states: boolean[] = [];
    const stop = watchArming(page, (armed) => states.push(armed));
    vi.advanceTimersByTime(400);
    page.set(false);
    page.set(true);
    vi.advanceTimersByTime(400);
    page.focus();
    vi.advanceTimersByTime(99);
    expect(states).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(states).toEqual([true]);
    page.focus();
    expect(states).toEqual([true]);
    stop();
  });

  it('stopping cancels a pending arm and unsubscribes', () => {
    const page = fakeVisibility(true);
    const states: boolean[] = [];
    const stop = watchArming(page, (armed) => states.push(armed));
    stop();
    vi.advanceTimersByTime(10_000);
    expect(states).toEqual([]);
    expect(page.listenerCount()).toBe(0);
  });
});
