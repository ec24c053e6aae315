import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PageVisibility } from '../components/page-visibility.ts';
import { ARMING_DELAY_MS, watchArming } from './arming.ts';

function fakePage(initiallyVisible: boolean) {
  let visible = initiallyVisible;
  const listeners = new Set<() => void>();
  const visibility: PageVisibility = {
    isVisible: () => visible,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const set = (next: boolean) => {
    visible = next;
    listeners.forEach((l) => l());
  };
  return { visibility, set, focus: () => listeners.forEach((l) => l()), listeners };
}

describe('watchArming', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('arms only after the page has been visible for the whole delay', () => {
    const page = fakePage(true);
    const states: boolean[] = [];
    const stop = watchArming(page.visibility, (armed) => states.push(armed));
    vi.advanceTimersByTime(ARMING_DELAY_MS - 1);
    expect(states).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(states).toEqual([true]);
    stop();
  });

  it('a hidden page never arms; shown, it waits the full delay from then', () => {
    const page = fakePage(false);
    const states: boolean[] = [];
    const stop = watchArming(page.visibility, (armed) => states.push(armed));
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
    const page = fakePage(true);
    const states: boolean[] = [];
    const stop = watchArming(page.visibility, (armed) => states.push(armed));
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
    const page = fakePage(true);
    const states: boolean[] = [];
    const stop = watchArming(page.visibility, (armed) => states.push(armed));
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
    const page = fakePage(true);
    const states: boolean[] = [];
    const stop = watchArming(page.visibility, (armed) => states.push(armed));
    stop();
    vi.advanceTimersByTime(10_000);
    expect(states).toEqual([]);
    expect(page.listeners.size).toBe(0);
  });
});
