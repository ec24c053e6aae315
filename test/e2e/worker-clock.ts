/**
 * The extension service worker's clock and alarms, moved from a test: `Date.now` of
 * the worker global shifted (a test-only override, nothing in the wallet asks for it:
 * the wallet reads `Date.now()` at each call), and one of its alarms made due now, as
 * Chrome fires it once its time comes. A stopped worker restarts with the real clock,
 * so a shift lasts only while the worker runs; put it back when done.
 */
import type { BrowserContext } from 'playwright-core';
import { evaluateWith, getServiceWorker } from '../../scripts/lib/extension-browser.ts';

interface ClockGlobal {
  /** The real `Date.now`, kept the first time the clock is shifted. */
  __realNow?: () => number;
}

/** Moves the worker's `Date.now` to `at` (running on from there); `null` puts the real clock back. */
export async function setWorkerClock(context: BrowserContext, extensionId: string, at: Date | null): Promise<void> {
  const worker = await getServiceWorker(context, extensionId);
  await evaluateWith(
    worker,
    (target: number | null) => {
      const g = globalThis as unknown as ClockGlobal;
      g.__realNow ??= Date.now.bind(Date);
      const real = g.__realNow;
      const offset = target === null ? 0 : target - real();
      Date.now = offset === 0 ? real : () => real() + offset;
    },
    at === null ? null : at.getTime(),
  );
}

/** Makes the worker's alarm `name` due now (its period kept), so Chrome fires it at once. */
export async function fireAlarmNow(context: BrowserContext, extensionId: string, name: string): Promise<void> {
  const worker = await getServiceWorker(context, extensionId);
  await evaluateWith(
    worker,
    async (alarm: string) => {
      type Alarms = { get(n: string): Promise<{ periodInMinutes?: number } | undefined>; create(n: string, info: object): Promise<void> };
      const alarms = (globalThis as unknown as { chrome: { alarms: Alarms } }).chrome.alarms;
      const existing = await alarms.get(alarm);
      // Alarms run on real time, whatever the worker's Date.now says.
      const now = ((globalThis as unknown as ClockGlobal).__realNow ?? Date.now)();
      await alarms.create(alarm, { when: now, ...(existing?.periodInMinutes ? { periodInMinutes: existing.periodInMinutes } : {}) });
    },
    name,
  );
}
