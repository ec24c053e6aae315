import type { BitstringStatusList } from './bitstring.ts';
import type { TokenStatusList } from './token-status-list.ts';

/** A verified status list as kept between checks. */
export type CachedStatusList =
  | { kind: 'bitstring'; list: BitstringStatusList }
  | { kind: 'token-status-list'; list: TokenStatusList };

export interface StatusListCacheOptions {
  /** Most lists kept (oldest dropped first). Default 256. */
  maxEntries?: number;
  /** Most expanded list bytes kept in total. Default 32 MiB. */
  maxBytes?: number;
}

interface Entry {
  value: CachedStatusList;
  expiresAt: number;
  bytes: number;
}

const sizeOf = (value: CachedStatusList) => (value.kind === 'bitstring' ? value.list.bitstring.length : value.list.bytes.length);

/**
 * Verified status lists keyed by URL, in memory only (lists are public; nothing
 * here is secret, but it dies with the service worker, which is fine). Each entry
 * lives until the expiry the checker gives it (fetch time + ttl, never past the
 * list's own expiry). Concurrent loads of one list share a single fetch.
 */
export class StatusListCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private totalBytes = 0;

  constructor(options: StatusListCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 256;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  }

  /** The list cached for `url` if it has not expired at `now`. */
  get(url: string, now: number): CachedStatusList | undefined {
    const entry = this.entries.get(url);
    if (!entry) return undefined;
    if (now >= entry.expiresAt) {
      this.delete(url);
      return undefined;
    }
    return entry.value;
  }

  /** Keeps `value` for `url` until `expiresAt` (epoch ms); an expiry not in the future keeps nothing. */
  set(url: string, value: CachedStatusList, expiresAt: number, now: number): void {
    this.delete(url);
    if (!(expiresAt > now)) return;
    const bytes = sizeOf(value);
    if (bytes > this.maxBytes) return;
    this.entries.set(url, { value, expiresAt, bytes });
    this.totalBytes += bytes;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.totalBytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  delete(url: string): boolean {
    const entry = this.entries.get(url);
    if (!entry) return false;
    this.entries.delete(url);
    this.totalBytes -= entry.bytes;
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.totalBytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Runs `load` once for concurrent callers with the same `key`; later callers share its result. */
  shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    const pending = this.inflight.get(key) as Promise<T> | undefined;
    if (pending) return pending;
    const promise = load().finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }
}
