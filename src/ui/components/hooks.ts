/**
 * Small hooks shared by the pages: keeping the background's answers fresh, countdowns,
 * and running one command at a time with its error kept for display.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { WalletStateView } from '../../protocol/internal.ts';
import { POLL_INTERVAL_MS, errorMessage, getWalletState, watchWallet } from './wallet-client.ts';

export interface Polled<T> {
  value: T | undefined;
  error: string | null;
  /** Loads now (after an action) instead of waiting for the next change. */
  refresh: () => Promise<void>;
  /** Accepts a value a command already returned, so the page need not ask again. */
  accept: (value: T) => void;
  /** Edits the latest value (not a render's stale copy), e.g. to swap in one updated row. */
  update: (edit: (current: T | undefined) => T) => void;
}

/**
 * Keeps `load()`'s answer fresh while `enabled`: reloaded on every wallet change the
 * worker pushes, when the page is shown again, and every `pollMs` for what no push
 * covers (lists kept in IndexedDB). Identical answers do not re-render, so a reload
 * never disturbs what the user is typing.
 */
export function usePolled<T>(
  load: () => Promise<T>,
  enabled = true,
  onError?: (error: unknown) => void,
  pollMs: number | undefined = POLL_INTERVAL_MS,
  /**
   * What makes two answers the same, when JSON of the whole answer would cost too much
   * (ten thousand grants are megabytes of JSON on every poll). JSON by default.
   */
  fingerprint: (value: T) => string = JSON.stringify,
): Polled<T> {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  // Latest callbacks in refs: the watch must not restart on every render.
  const loadRef = useRef(load);
  loadRef.current = load;
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;
  const fingerprintRef = useRef(fingerprint);
  fingerprintRef.current = fingerprint;
  const lastJson = useRef<string | null>(null);
  const latest = useRef<T | undefined>(undefined);

  const accept = useCallback((next: T) => {
    setError(null);
    const json = fingerprintRef.current(next);
    if (json === lastJson.current) return;
    lastJson.current = json;
    latest.current = next;
    setValue(next);
  }, []);
  const update = useCallback((edit: (current: T | undefined) => T) => accept(edit(latest.current)), [accept]);
  const fail = useCallback((failure: unknown) => {
    setError(errorMessage(failure));
    onErrorRef.current?.(failure);
  }, []);

  useEffect(() => {
    if (!enabled) return undefined;
    return watchWallet(() => loadRef.current(), accept, fail, pollMs);
  }, [enabled, accept, fail, pollMs]);

  const refresh = useCallback(async () => {
    try {
      accept(await loadRef.current());
    } catch (failure) {
      fail(failure);
    }
  }, [accept, fail]);

  return { value, error, refresh, accept, update };
}

/**
 * Lock and unlock (auto-lock too) change the session, so they are pushed; the slow
 * timer only catches what is stored elsewhere (the auto-lock setting, an unlock wait).
 */
export const WALLET_STATE_POLL_MS = 10_000;

/** The wallet's lock state, current without a reload. */
export function useWalletState(): Polled<WalletStateView> {
  return usePolled(getWalletState, true, undefined, WALLET_STATE_POLL_MS);
}

/** Whole seconds left until `untilMs` (epoch ms), re-rendering as it counts down to 0. */
export function useCountdown(untilMs: number): number {
  // The state only forces re-renders; the value is read from the clock, so a new
  // `untilMs` never shows a number computed from a stale time.
  const [, setTick] = useState(0);
  useEffect(() => {
    if (untilMs <= Date.now()) return undefined;
    const timer = setInterval(() => {
      setTick((tick) => tick + 1);
      if (Date.now() >= untilMs) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [untilMs]);
  return Math.max(0, Math.ceil((untilMs - Date.now()) / 1000));
}

export interface Action {
  busy: boolean;
  error: string | null;
  /** Runs `task` unless another is in flight; its failure becomes `error`. Resolves true on success. */
  run: (task: () => Promise<unknown>) => Promise<boolean>;
  clearError: () => void;
}

/** One command in flight at a time, so buttons can be disabled and errors shown, never swallowed. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A ref, not state: two clicks in the same frame must not both get through.
  const inFlight = useRef(false);

  const run = useCallback(async (task: () => Promise<unknown>) => {
    if (inFlight.current) return false;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      await task();
      return true;
    } catch (failure) {
      setError(errorMessage(failure));
      return false;
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { busy, error, run, clearError };
}
