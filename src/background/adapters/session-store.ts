import browser from 'webextension-polyfill';
import type { SessionStore } from '../../core/ports.ts';

/**
 * `storage.session`: in memory, survives service-worker restarts, gone when the
 * browser closes; by default not readable by content scripts.
 */
export class BrowserSessionStore implements SessionStore {
  async get<T>(key: string): Promise<T | undefined> {
    const found = await browser.storage.session.get(key);
    return found[key] as T | undefined;
  }

  async set(entries: Record<string, unknown>): Promise<void> {
    await browser.storage.session.set(entries);
  }

  async remove(keys: string | string[]): Promise<void> {
    await browser.storage.session.remove(keys);
  }
}
