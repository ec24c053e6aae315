import { describe, expect, it } from 'vitest';
import type { HttpFetcher, HttpRequestOptions, HttpResponse } from '../ports.ts';
import { CACHE_CEILING_MS, CACHE_DEFAULT_MS, CACHE_FLOOR_MS, DidDocumentCache, freshnessMs } from './did-document-cache.ts';
import { resolveDidWeb } from './did-web-resolver.ts';

const DID = 'did:web:issuer.example.org';
const document = { id: DID, verificationMethod: [] };

describe('freshness from HTTP caching headers', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('honours no-store, no-cache, max-age (between floor and ceiling), Expires, and a default', () => {
    expect(freshnessMs({ 'cache-control': 'public, no-store' }, now)).toBeNull();
    expect(freshnessMs({ 'cache-control': 'no-cache' }, now)).toBe(0);
    expect(freshnessMs({ 'cache-control': 'max-age=0' }, now)).toBe(0);
    expect(freshnessMs({ 'cache-control': 'max-age=600' }, now)).toBe(600_000);
    expect(freshnessMs({ 'cache-control': 'max-age=5' }, now)).toBe(CACHE_FLOOR_MS);
    expect(freshnessMs({ 'cache-control': 'max-age=31536000' }, now)).toBe(CACHE_CEILING_MS);
    expect(freshnessMs({ 'cache-control': 'max-age=x' }, now)).toBe(0);
    expect(freshnessMs({ expires: new Date(now + 3_600_000).toUTCString() }, now)).toBe(3_600_000);
    expect(freshnessMs({ expires: 'yesterday' }, now)).toBe(0);
    expect(freshnessMs({ 'cache-control': 'max-age=120', expires: new Date(now + 3_600_000).toUTCString() }, now)).toBe(120_000);
    expect(freshnessMs({}, now)).toBe(CACHE_DEFAULT_MS);
  });

  it('keeps at most its bound of entries, dropping the least recently used', () => {
    const cache = new DidDocumentCache(2);
    cache.store('a', document, {}, 0);
    cache.store('b', document, {}, 0);
    cache.get('a');
    cache.store('c', document, {}, 0);
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map(Boolean)).toEqual([true, false, true]);
  });
});

class Server implements HttpFetcher {
  readonly seen: Record<string, string>[] = [];
  constructor(public respond: (headers: Record<string, string>) => HttpResponse) {}
  async get(_url: string, _limits?: unknown, options?: HttpRequestOptions): Promise<HttpResponse> {
    this.seen.push(options?.headers ?? {});
    return this.respond(options?.headers ?? {});
  }
  async post(): Promise<never> {
    throw new Error('no POST');
  }
}
const ok = (headers: Record<string, string>, body: unknown = document): HttpResponse => ({ status: 200, contentType: 'application/did+json', body: JSON.stringify(body), headers });

describe('did:web documents through the cache', () => {
  it('reuses a fresh document, then revalidates with If-None-Match and keeps it on a 304', async () => {
    const clock = { now: 0 };
    const server = new Server(() => ok({ 'cache-control': 'max-age=300', etag: '"v1"' }));
    const deps = { fetcher: server, now: () => clock.now, cache: new DidDocumentCache() };
    await resolveDidWeb(DID, deps);
    clock.now = 299_000;
    await resolveDidWeb(DID, deps);
    expect(server.seen).toHaveLength(1);
    clock.now = 301_000;
    server.respond = (headers) => (headers['If-None-Match'] === '"v1"' ? { status: 304, contentType: null, body: '', headers: { 'cache-control': 'max-age=300' } } : ok({}));
    expect((await resolveDidWeb(DID, deps)).didDocument).toEqual(document);
    expect(server.seen[1]).toMatchObject({ 'If-None-Match': '"v1"' });
    clock.now = 500_000; // fresh again after the 304
    await resolveDidWeb(DID, deps);
    expect(server.seen).toHaveLength(2);
    clock.now = 700_000; // stale again: the 304 named no ETag, the one kept is sent
    await resolveDidWeb(DID, deps);
    expect(server.seen[2]).toMatchObject({ 'If-None-Match': '"v1"' });
  });

  it('asks again every time for no-store and no-cache, with If-Modified-Since for the latter', async () => {
    const server = new Server(() => ok({ 'cache-control': 'no-store' }));
    const deps = { fetcher: server, now: () => 0, cache: new DidDocumentCache() };
    await resolveDidWeb(DID, deps);
    await resolveDidWeb(DID, deps);
    expect(server.seen).toEqual([{ Accept: 'application/did+json, application/json' }, { Accept: 'application/did+json, application/json' }]);
    server.respond = () => ok({ 'cache-control': 'no-cache', 'last-modified': 'Wed, 01 Jan 2026 00:00:00 GMT' });
    await resolveDidWeb(DID, deps);
    await resolveDidWeb(DID, deps);
    expect(server.seen[3]).toMatchObject({ 'If-Modified-Since': 'Wed, 01 Jan 2026 00:00:00 GMT' });
  });

  it('uses a stale document when its refresh fails only within the ceiling since it was last validated', async () => {
    const clock = { now: 0 };
    const server = new Server(() => ok({ 'cache-control': 'max-age=3600' }));
    const deps = { fetcher: server, now: () => clock.now, cache: new DidDocumentCache() };
    await resolveDidWeb(DID, deps);
    server.respond = () => {
      throw new Error('connection refused');
    };
    clock.now = CACHE_CEILING_MS - 1;
    expect((await resolveDidWeb(DID, deps)).didDocument).toEqual(document);
    clock.now = CACHE_CEILING_MS;
    const late = await resolveDidWeb(DID, deps);
    expect(late.didDocument).toBeNull();
    expect(late.didResolutionMetadata.error).toMatch(/could not be fetched: connection refused/);
  });

  it('drops the entry when the server answers an error or a changed document that is wrong', async () => {
    const clock = { now: 0 };
    const server = new Server(() => ok({ 'cache-control': 'max-age=60' }));
    const deps = { fetcher: server, now: () => clock.now, cache: new DidDocumentCache() };
    await resolveDidWeb(DID, deps);
    clock.now = 61_000;
    server.respond = () => ({ status: 410, contentType: null, body: '', headers: {} });
    expect((await resolveDidWeb(DID, deps)).didResolutionMetadata.error).toMatch(/HTTP 410/);
    expect(deps.cache.size).toBe(0);
  });
});
