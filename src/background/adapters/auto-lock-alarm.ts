import browser from 'webextension-polyfill';
import type { AutoLockTimer } from '../../core/wallet/ports.ts';

export const AUTO_LOCK_ALARM = 'tessera-auto-lock';

/** Auto-lock on `alarms`, which fire even after the service worker was stopped. */
export class AlarmAutoLockTimer implements AutoLockTimer {
  async restart(minutes: number): Promise<void> {
    await browser.alarms.create(AUTO_LOCK_ALARM, { delayInMinutes: minutes });
  }

  async cancel(): Promise<void> {
    await browser.alarms.clear(AUTO_LOCK_ALARM);
  }
}
