import browser from 'webextension-polyfill';
import type { ScheduledJob, Scheduler } from '../../core/ports.ts';

/** Alarm names per job (kept as they were, so alarms set by an earlier version still fire). */
const ALARM_OF: Record<ScheduledJob, string> = {
  'auto-lock': 'tessera-auto-lock',
  'status-check': 'tessera-status-check',
  'grant-expiry': 'tessera-grant-expiry',
  anchoring: 'tessera-anchoring',
  'anchoring-retry': 'tessera-anchoring-retry',
};

/** Every timed job of the wallet on `alarms`, which fire even after the service worker was stopped. */
export class AlarmScheduler implements Scheduler {
  async once(job: ScheduledJob, delayMinutes: number): Promise<void> {
    await browser.alarms.create(ALARM_OF[job], { delayInMinutes: delayMinutes });
  }

  async every(job: ScheduledJob, periodMinutes: number): Promise<void> {
    const existing = await browser.alarms.get(ALARM_OF[job]);
    if (existing?.periodInMinutes === periodMinutes) return;
    await browser.alarms.create(ALARM_OF[job], { periodInMinutes: periodMinutes });
  }

  async cancel(job: ScheduledJob): Promise<void> {
    await browser.alarms.clear(ALARM_OF[job]);
  }
}

/** The job an alarm stands for, or null for an alarm that is not the wallet's. */
export function jobOfAlarm(name: string): ScheduledJob | null {
  const found = (Object.keys(ALARM_OF) as ScheduledJob[]).find((job) => ALARM_OF[job] === name);
  return found ?? null;
}
