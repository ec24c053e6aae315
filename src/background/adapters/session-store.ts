import browser from 'webextension-polyfill';
import type { SessionStore } from '../../core/ports.ts';
import { sessionCopy } from './session-copy.ts';

/** What the adapter uses of `storage.session` (a fake in tests). */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(entries: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

/** What the adapter uses of `storage.onChanged`. */
export interface SessionChanges {
  addListener(listener: (changes: Record<string, { newValue?: unknown }>, areaName: string) => void): void;
}

/** Copies kept at most; past this the copies are dropped (and read again when asked for). */
const MAX_KEPT = 256;

/**
 * `storage.session`: in memory, survives service-worker restarts, gone when the
 * browser closes; by default not readable by content scripts.
 *
 * Every read or write here is a round trip through the browser's UI thread, which is
 * slowest exactly while it opens an approval window — and the queue and the lock
 * state read the same few keys over and over. So the worker keeps a copy of each key
 * it read or wrote and answers reads from it. The worker is the only writer; a change
 * from anywhere else (seen on `storage.onChanged` as a value that is not the copy)
 * drops that copy, and the next read asks the browser again. A read that a write
 * overtook is not kept. Copies are taken as the browser stores values (sessionCopy),
 * so a read answered here equals one answered by the browser.
 */
export class BrowserSessionStore implements SessionStore {
  private readonly kept = new Map<string, unknown>();
  /** Counts writes and outside changes: a read during which it moved is not kept. */
  private writes = 0;

  constructor(
    private readonly area: SessionArea = browser.storage.session,
    changes: SessionChanges = browser.storage.onChanged,
  ) {
    changes.addListener((changed, areaName) => {
      if (areaName !== 'session') return;
      for (const [key, change] of Object.entries(changed)) {
        if (this.kept.has(key) && !sameValue(this.kept.get(key), change.newValue)) this.forget(key);
      }
    });
  }

  async get<T>(key: string): Promise<T | undefined> {
    if (this.kept.has(key)) return sessionCopy(this.kept.get(key)) as T | undefined;
    const before = this.writes;
    const found = (await this.area.get(key))[key];
    if (this.writes === before) this.keep(key, sessionCopy(found));
    return found as T | undefined;
  }

  async set(entries: Record<string, unknown>): Promise<void> {
    // Kept before the browser confirms, as a read sent meanwhile would see it there too.
    this.writes++;
    for (const [key, value] of Object.entries(entries)) this.keep(key, sessionCopy(value));
    try {
      await this.area.set(entries);
    } catch (error) {
      for (const key of Object.keys(entries)) this.forget(key);
      throw error;
    }
  }

  async remove(keys: string | string[]): Promise<void> {
    const list = typeof keys === 'string' ? [keys] : keys;
    for (const key of list) this.forget(key);
    await this.area.remove(keys);
  }

  private keep(key: string, value: unknown): void {
    if (!this.kept.has(key) && this.kept.size >= MAX_KEPT) this.kept.clear();
    this.kept.set(key, value);
  }

  private forget(key: string): void {
    this.writes++;
    this.kept.delete(key);
  }
}

function sameValue(copy: unknown, stored: unknown): boolean {
  return JSON.stringify(copy) === JSON.stringify(sessionCopy(stored));
}
