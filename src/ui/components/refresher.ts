/**
 * Keeps a page's copy of some wallet state fresh without asking more than needed: it
 * loads once, then again when the wallet pushes a change (debounced, since one
 * decision changes several keys at once), when the page comes back into view or gets
 * focus, and on a timer only if the caller asks for one (state that nothing pushes).
 */
import type { PageVisibility } from './page-visibility.ts';

export interface RefreshOptions {
  /** Subscribes to the wallet's change pushes; returns the unsubscribe. */
  subscribe: (listener: () => void) => () => void;
  visibility: PageVisibility;
  /** Changes closer together than this cause one load. */
  debounceMs?: number;
  /** Also load this long after the last load while the page is visible. Omitted: never on a timer. */
  pollMs?: number;
}

export const PUSH_DEBOUNCE_MS = 60;

/**
 * Calls `load` now and whenever it may have a new answer, handing each result to
 * `onValue` (or the failure to `onError`). One load at a time: a change that arrives
 * during a load causes exactly one more after it, so answers are never out of order.
 * Returns the function that stops it.
 */
export function keepFresh<T>(
  load: () => Promise<T>,
  onValue: (value: T) => void,
  onError: (error: unknown) => void,
  { subscribe, visibility, debounceMs = PUSH_DEBOUNCE_MS, pollMs }: RefreshOptions,
): () => void {
  let stopped = false;
  let inFlight = false;
  let again = false;
  let debounceTimer: ReturnType<typeof setTimeout> | undefined;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;

  const clearPoll = () => {
    if (pollTimer !== undefined) clearTimeout(pollTimer);
    pollTimer = undefined;
  };
  const schedulePoll = () => {
    if (pollMs === undefined || stopped || pollTimer !== undefined || !visibility.isVisible()) return;
    pollTimer = setTimeout(() => {
      pollTimer = undefined;
      void run();
    }, pollMs);
  };
  const run = async () => {
    if (stopped) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    clearPoll();
    try {
      const value = await load();
      if (!stopped) onValue(value);
    } catch (error) {
      if (!stopped) onError(error);
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        void run();
      } else {
        schedulePoll();
      }
    }
  };
  const soon = () => {
    if (stopped) return;
    if (debounceTimer !== undefined) clearTimeout(debounceTimer);
    debounceTimer = setTimeout(() => {
      debounceTimer = undefined;
      void run();
    }, debounceMs);
  };
  // Hidden: no timer runs (pushes still load, so a request settled elsewhere is seen).
  // Shown or focused again: load at once, as a change may have been missed meanwhile.
  const onVisibility = () => {
    if (visibility.isVisible()) soon();
    else clearPoll();
  };

  const unsubscribe = subscribe(soon);
  const unwatch = visibility.onChange(onVisibility);
  void run();
  return () => {
    stopped = true;
    clearPoll();
    if (debounceTimer !== undefined) clearTimeout(debounceTimer);
    unsubscribe();
    unwatch();
  };
}
