import { DomainError } from '../errors.ts';

/**
 * Growing delay after wrong passwords: the first FREE_ATTEMPTS failures cost nothing,
 * then each further one doubles the wait, up to MAX_DELAY_MS. Counted in the vault's
 * stored header so a service-worker restart does not reset it.
 *
 * An attempt is counted (reserved) before the key derivation runs and uncounted only
 * when the password proves right, so a guess cut short by a worker stop, or racing
 * other guesses, still counts.
 */
export const FREE_ATTEMPTS = 3;
export const BASE_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 5 * 60_000;

export interface FailedUnlocks {
  count: number;
  lastAt: number;
}

export function delayAfterFailures(count: number): number {
  if (count < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (count - FREE_ATTEMPTS));
}

/** Milliseconds until the next attempt is allowed (0 = now). */
export function retryAfterMs(failed: FailedUnlocks | undefined, now: number): number {
  if (!failed) return 0;
  return Math.max(0, failed.lastAt + delayAfterFailures(failed.count) - now);
}

/** The counter with one more attempt booked at `now`. */
export function reserveAttempt(failed: FailedUnlocks | undefined, now: number): FailedUnlocks {
  return { count: (failed?.count ?? 0) + 1, lastAt: now };
}

export function throttledError(waitMs: number): DomainError {
  return new DomainError('throttled', `Too many wrong passwords. Try again in ${Math.ceil(waitMs / 1000)} s.`, waitMs);
}
