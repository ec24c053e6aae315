/**
 * The in-memory cache of did:web documents, honouring HTTP caching (RFC 9111) within
 * bounds. It lives in the worker; a killed worker only loses it.
 *
 * - `no-store`: never kept. `no-cache` or `max-age=0`: kept only to revalidate
 *   (If-None-Match / If-Modified-Since; a 304 reuses the document).
 * - `max-age` (else `Expires`, else a 5-minute default) sets how long an entry is
 *   fresh, raised to a floor of 1 minute and cut to a ceiling of 24 hours.
 * - A stale entry whose refresh fails is used only while its last successful
 *   validation is younger than the ceiling: a network an attacker blocks cannot keep
 *   a rotated-away key trusted for longer than that.
 * - At most 64 entries; the least recently used goes first.
 */
import type { DidDocument } from '../credentials/types.ts';

export const CACHE_FLOOR_MS = 60_000;
export const CACHE_CEILING_MS = 24 * 60 * 60_000;
export const CACHE_DEFAULT_MS = 5 * 60_000;
export const CACHE_MAX_ENTRIES = 64;

export interface CachedDidDocument {
  document: DidDocument;
  /** When the document was last fetched or revalidated (ms). */
  validatedAt: number;
  /** Until when it may be used without asking the server again (ms). */
  freshUntil: number;
  etag: string | null;
  lastModified: string | null;
}

/** How long a response may be cached: null for no-store, 0 for "revalidate every time". */
export function freshnessMs(headers: Record<string, string>, now: number): number | null {
  const directives = (headers['cache-control'] ?? '').toLowerCase().split(',').map((d) => d.trim());
  if (directives.includes('no-store')) return null;
  if (directives.includes('no-cache')) return 0;
  const maxAge = directives.find((d) => d.startsWith('max-age='));
  if (maxAge !== undefined) {
    const seconds = Number(maxAge.slice('max-age='.length));
    if (!Number.isFinite(seconds) || seconds < 0) return 0;
    return seconds === 0 ? 0 : clamp(seconds * 1000);
  }
  if (headers.expires !== undefined) {
    const expires = Date.parse(headers.expires);
    // An invalid Expires means "already expired" (RFC 9111 §5.3).
    if (Number.isNaN(expires) || expires <= now) return 0;
    return clamp(expires - now);
  }
  return CACHE_DEFAULT_MS;
}

const clamp = (ms: number) => Math.min(CACHE_CEILING_MS, Math.max(CACHE_FLOOR_MS, ms));

export class DidDocumentCache {
  private readonly entries = new Map<string, CachedDidDocument>();

  constructor(private readonly maxEntries = CACHE_MAX_ENTRIES) {}

  get(url: string): CachedDidDocument | undefined {
    const entry = this.entries.get(url);
    if (entry) {
      this.entries.delete(url);
      this.entries.set(url, entry);
    }
    return entry;
  }

  /** Keeps (or, for no-store, forgets) the document a 200 or 304 answered. */
  store(url: string, document: DidDocument, headers: Record<string, string>, now: number): void {
    const ttl = freshnessMs(headers, now);
    if (ttl === null) {
      this.entries.delete(url);
      return;
    }
    this.entries.delete(url);
    this.entries.set(url, {
      document,
      validatedAt: now,
      freshUntil: now + ttl,
      etag: headers.etag ?? null,
      lastModified: headers['last-modified'] ?? null,
    });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** A stale entry may stand in for a failed refresh only this long after its last validation. */
  usableAfterFailure(entry: CachedDidDocument, now: number): boolean {
    return now - entry.validatedAt < CACHE_CEILING_MS;
  }

  forget(url: string): void {
    this.entries.delete(url);
  }

  get size(): number {
    return this.entries.size;
  }
}
