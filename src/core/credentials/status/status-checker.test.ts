import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { CredentialStatus, StatusReference } from '../types.ts';
import { BITSTRING_MIN_ENTRIES } from './bitstring.ts';
import { checkStatus, DEFAULT_RECHECK_MS, isDue, MIN_RECHECK_MS, STATUS_LIST_MAX_AGE_MS, StatusListCache, type StatusCheckContext } from './status-checker.ts';
import {
  bitstringWith,
  encodeBitstring,
  encodeLst,
  FakeFetcher,
  makeIssuer,
  packStatuses,
  resolver,
  signStatusListToken,
  signVcJwt11,
  signVcJwt2,
  tamper,
  type TestIssuer,
} from '../../../../test/support/status-lists.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;

const REVOCATION = 'https://issuer.example/status/revocation';
const SUSPENSION = 'https://issuer.example/status/suspension';
const BOTH = 'https://issuer.example/status/both';
const TOKEN = 'https://issuer.example/statuslists/7';
const LAST = BITSTRING_MIN_ENTRIES - 1;
const REVOKED_INDEXES = [0, 7, 8, 1000, LAST];

const revocation = (index: number, listUrl = REVOCATION): StatusReference => ({ kind: 'bitstring', purpose: 'revocation', index, listUrl });
const suspension = (index: number, listUrl = SUSPENSION): StatusReference => ({ kind: 'bitstring', purpose: 'suspension', index, listUrl });
const token = (index: number, listUrl = TOKEN): StatusReference => ({ kind: 'token-status-list', index, listUrl });

let issuer: TestIssuer;
let other: TestIssuer;
let revocationJwt: string;
let suspensionJwt: string;

beforeAll(async () => {
  [issuer, other] = await Promise.all([makeIssuer(), makeIssuer()]);
  revocationJwt = await signVcJwt2(issuer, REVOCATION, { encodedList: await encodeBitstring(bitstringWith(REVOKED_INDEXES)) });
  suspensionJwt = await signVcJwt11(issuer, SUSPENSION, { purpose: 'suspension', encodedList: await encodeBitstring(bitstringWith([5])) });
});

function context(fetcher: FakeFetcher, extra: Partial<StatusCheckContext> = {}): StatusCheckContext {
  return { issuer: issuer.did, fetcher, resolver, now: NOW, ...extra };
}

const published = () => new FakeFetcher().serve(REVOCATION, revocationJwt).serve(SUSPENSION, suspensionJwt);

describe('checkStatus: W3C Bitstring Status List', () => {
  it('is valid without fetching anything when the credential publishes no status', async () => {
    const fetcher = new FakeFetcher();
    expect(await checkStatus([], context(fetcher))).toEqual({ state: 'valid', checkedAt: iso(NOW), reason: null, nextCheckAt: null });
    const message: StatusReference = { kind: 'bitstring', purpose: 'message', index: 3, listUrl: REVOCATION };
    expect((await checkStatus([message], context(fetcher))).state).toBe('valid');
    expect(fetcher.requests).toEqual([]);
  });

  it('is valid when the bit is clear, and checks again in an hour when no ttl is given', async () => {
    const status = await checkStatus([revocation(1), suspension(4)], context(published()));
    expect(status).toEqual({ state: 'valid', checkedAt: iso(NOW), reason: null, nextCheckAt: iso(NOW + DEFAULT_RECHECK_MS) });
  });

  it('is revoked when the revocation bit is set, at byte boundaries and the last index', async () => {
    for (const index of REVOKED_INDEXES) {
      const status = await checkStatus([revocation(index)], context(published()));
      expect(status, `index ${index}`).toMatchObject({ state: 'revoked', reason: 'revoked by the issuer' });
    }
    for (const index of [1, 6, 9, 15, 999, 1001, LAST - 1]) {
      expect((await checkStatus([revocation(index)], context(published()))).state, `index ${index}`).toBe('valid');
    }
  });

  it('is suspended when the suspension bit is set', async () => {
    const status = await checkStatus([revocation(5), suspension(5)], context(published()));
    expect(status).toMatchObject({ state: 'suspended', reason: 'suspended by the issuer' });
  });

  it('fetches a list serving both purposes once', async () => {
    const encodedList = await encodeBitstring(bitstringWith([10]));
    const fetcher = new FakeFetcher().serve(BOTH, await signVcJwt2(issuer, BOTH, { purpose: ['revocation', 'suspension'], encodedList }));
    const status = await checkStatus([revocation(11, BOTH), suspension(10, BOTH)], context(fetcher));
    expect(status.state).toBe('suspended');
    expect(fetcher.requests).toEqual([BOTH]);
  });

  it('is unknown when the list is signed by another issuer', async () => {
    const encodedList = await encodeBitstring(bitstringWith([]));
    const fetcher = new FakeFetcher().serve(REVOCATION, await signVcJwt2(other, REVOCATION, { encodedList }));
    const status = await checkStatus([revocation(1)], context(fetcher));
    expect(status.state).toBe('unknown');
    expect(status.reason).toBe(
      `status list rejected: ${REVOCATION}: the status list is issued by ${other.did}, not by the credential's issuer ${issuer.did}`,
    );
    const impostor = new FakeFetcher().serve(REVOCATION, await signVcJwt2(other, REVOCATION, { encodedList, issuer: issuer.did, header: { kid: issuer.kid } }));
    expect(await checkStatus([revocation(1)], context(impostor))).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/signature does not verify/) });
  });

  it('is unknown when the list was tampered with', async () => {
    const cleared = await encodeBitstring(bitstringWith([]));
    const forged = tamper(revocationJwt, (payload) => {
      (payload.credentialSubject as Record<string, unknown>).encodedList = cleared;
    });
    const status = await checkStatus([revocation(0)], context(new FakeFetcher().serve(REVOCATION, forged)));
    expect(status.state).toBe('unknown');
    expect(status.reason).toMatch(new RegExp(`^status list rejected: ${REVOCATION}: the signature does not verify`));
  });

  it('is unknown when the list is unreachable, and says why', async () => {
    const down = new FakeFetcher().fail(REVOCATION, new Error('connect ECONNREFUSED 127.0.0.1:443'));
    expect(await checkStatus([revocation(0)], context(down))).toEqual({
      state: 'unknown',
      checkedAt: iso(NOW),
      reason: `status list unreachable: ${REVOCATION}: connect ECONNREFUSED 127.0.0.1:443`,
      nextCheckAt: iso(NOW + DEFAULT_RECHECK_MS),
    });
    const missing = await checkStatus([revocation(0)], context(new FakeFetcher()));
    expect(missing.reason).toBe(`status list unreachable: ${REVOCATION}: HTTP 404`);
    const ftp = await checkStatus([revocation(0, 'ftp://issuer.example/list')], context(new FakeFetcher()));
    expect(ftp).toMatchObject({ state: 'unknown', reason: 'status list rejected: ftp://issuer.example/list: not fetched: its scheme ftp: is not https:' });
  });

  it('fetches nothing outside the network rules: plain http off loopback, private, link-local and .local hosts', async () => {
    const fetcher = new FakeFetcher();
    const refused: [string, string][] = [
      ['http://issuer.example/status', 'http: is allowed only to loopback (127.0.0.0/8, localhost, [::1]); use https:'],
      ['https://192.168.1.20/status', 'its host 192.168.1.20 is a private-network address'],
      ['https://[::ffff:10.0.0.1]/status', 'its host [::ffff:a00:1] is a private-network address'],
      ['https://169.254.169.254/latest', 'its host 169.254.169.254 is a link-local address'],
      ['https://status.local/list', 'its host status.local is a local-network name (.local, .internal, .home.arpa or a single-label name)'],
    ];
    for (const [url, why] of refused) {
      const status = await checkStatus([revocation(0, url)], context(fetcher));
      expect(status, url).toMatchObject({ state: 'unknown', reason: `status list rejected: ${url}: not fetched: ${why}` });
    }
    expect(fetcher.requests).toEqual([]);
    // Loopback over http is allowed (local development and the demo).
    const local = 'http://127.0.0.1:7001/status';
    const loopback = new FakeFetcher().serve(local, await signVcJwt2(issuer, local, { encodedList: await encodeBitstring(bitstringWith([0])) }));
    expect((await checkStatus([revocation(0, local)], context(loopback))).state).toBe('revoked');
  });

  it('is unknown when a list answers too much or not at all', async () => {
    const huge = new FakeFetcher().serve(REVOCATION, 'x'.repeat(2 * 1024 * 1024 + 1));
    expect(await checkStatus([revocation(0)], context(huge))).toMatchObject({
      state: 'unknown',
      reason: `status list rejected: ${REVOCATION}: the response is larger than 2097152 bytes`,
    });
    vi.useFakeTimers();
    try {
      const silent = { get: () => new Promise<never>(() => undefined), post: () => new Promise<never>(() => undefined) };
      const pending = checkStatus([revocation(0)], context(new FakeFetcher(), { fetcher: silent }));
      await vi.advanceTimersByTimeAsync(8_000);
      expect(await pending).toMatchObject({ state: 'unknown', reason: `status list unreachable: ${REVOCATION}: no answer within 8 s` });
    } finally {
      vi.useRealTimers();
    }
  });

  it('is unknown when a list signed for another URL is served at this one', async () => {
    const elsewhere = 'https://issuer.example/status/other';
    const clear = await signVcJwt2(issuer, elsewhere, { encodedList: await encodeBitstring(bitstringWith([])) });
    const status = await checkStatus([revocation(0)], context(new FakeFetcher().serve(REVOCATION, clear)));
    expect(status).toMatchObject({
      state: 'unknown',
      reason: `status list rejected: ${REVOCATION}: the status list's id ${elsewhere} is not the URL it was fetched from (${REVOCATION})`,
    });
  });

  it('is unknown when the list serves another purpose', async () => {
    const status = await checkStatus([revocation(5, SUSPENSION)], context(published()));
    expect(status.state).toBe('unknown');
    expect(status.reason).toBe(`status list rejected: ${SUSPENSION}: the entry's statusPurpose is 'revocation' but the list is for 'suspension'`);
  });

  it('is unknown for an index outside the list', async () => {
    const status = await checkStatus([revocation(BITSTRING_MIN_ENTRIES)], context(published()));
    expect(status).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/index 131072 is outside the status list/) });
  });

  it('lets revoked win over suspended, and either win over unknown', async () => {
    const fetcher = published().fail(BOTH, new Error('timeout'));
    expect((await checkStatus([revocation(0, BOTH), suspension(5), revocation(0)], context(fetcher))).state).toBe('revoked');
    expect((await checkStatus([revocation(0, BOTH), suspension(5)], context(fetcher))).state).toBe('suspended');
    const unknownFirst = await checkStatus([revocation(0, BOTH), revocation(1)], context(fetcher));
    expect(unknownFirst).toMatchObject({ state: 'unknown', reason: `status list unreachable: ${BOTH}: timeout` });
  });
});

describe('checkStatus: IETF Token Status List', () => {
  it('maps 2-bit values: 0 valid, 1 revoked, 2 suspended, 3 unknown (application-specific)', async () => {
    const lst = await encodeLst(packStatuses([0, 1, 2, 3, 0, 0, 0, 2], 2));
    const fetcher = new FakeFetcher().serve(TOKEN, await signStatusListToken(issuer, TOKEN, { bits: 2, lst }));
    const check = (index: number) => checkStatus([token(index)], context(fetcher));
    expect(await check(0)).toMatchObject({ state: 'valid', reason: null });
    expect(await check(1)).toMatchObject({ state: 'revoked', reason: 'revoked by the issuer' });
    expect(await check(2)).toMatchObject({ state: 'suspended', reason: 'suspended by the issuer' });
    expect(await check(3)).toMatchObject({ state: 'unknown', reason: `status list ${TOKEN} gives the application-specific status 0x03` });
    expect(await check(7)).toMatchObject({ state: 'suspended' });
    expect(await check(8)).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/index 8 is outside the status list \(8 entries\)/) });
  });

  it('is unknown when the token is signed by another issuer, or names another URI', async () => {
    const lst = await encodeLst(packStatuses([0], 1));
    const foreign = new FakeFetcher().serve(TOKEN, await signStatusListToken(other, TOKEN, { bits: 1, lst }));
    expect(await checkStatus([token(0)], context(foreign))).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/does not belong to/) });
    const moved = new FakeFetcher().serve(TOKEN, await signStatusListToken(issuer, `${TOKEN}-old`, { bits: 1, lst }));
    expect(await checkStatus([token(0)], context(moved))).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/is not the status list URI/) });
  });
});

describe('checkStatus: caching and scheduling', () => {
  it('does not fetch again within a W3C ttl (ms), and does after it', async () => {
    const encodedList = await encodeBitstring(bitstringWith([0]));
    const fetcher = new FakeFetcher().serve(REVOCATION, await signVcJwt2(issuer, REVOCATION, { encodedList, ttl: 10 * MIN }));
    const cache = new StatusListCache();
    const first = await checkStatus([revocation(0)], context(fetcher, { cache }));
    expect(first).toMatchObject({ state: 'revoked', nextCheckAt: iso(NOW + 10 * MIN) });
    await checkStatus([revocation(1)], context(fetcher, { cache, now: NOW + 9 * MIN }));
    expect(fetcher.count(REVOCATION)).toBe(1);
    await checkStatus([revocation(1)], context(fetcher, { cache, now: NOW + 10 * MIN }));
    expect(fetcher.count(REVOCATION)).toBe(2);
  });

  it('caches a W3C list without ttl for the spec default of 5 minutes', async () => {
    const fetcher = published();
    const cache = new StatusListCache();
    await checkStatus([revocation(0)], context(fetcher, { cache }));
    await checkStatus([revocation(0)], context(fetcher, { cache, now: NOW + 4 * MIN }));
    expect(fetcher.count(REVOCATION)).toBe(1);
    await checkStatus([revocation(0)], context(fetcher, { cache, now: NOW + 5 * MIN }));
    expect(fetcher.count(REVOCATION)).toBe(2);
  });

  it('does not fetch again within an IETF ttl (seconds), nor past the token exp', async () => {
    const lst = await encodeLst(packStatuses([1], 1));
    const fetcher = new FakeFetcher().serve(TOKEN, await signStatusListToken(issuer, TOKEN, { bits: 1, lst, ttl: 1800, exp: (NOW + 20 * MIN) / 1000 }));
    const cache = new StatusListCache();
    const first = await checkStatus([token(0)], context(fetcher, { cache }));
    // ttl 30 min, but the token expires in 20: the next check comes at its expiry.
    expect(first).toMatchObject({ state: 'revoked', nextCheckAt: iso(NOW + 20 * MIN) });
    await checkStatus([token(0)], context(fetcher, { cache, now: NOW + 19 * MIN }));
    expect(fetcher.count(TOKEN)).toBe(1);
    const late = await checkStatus([token(0)], context(fetcher, { cache, now: NOW + 20 * MIN }));
    expect(fetcher.count(TOKEN)).toBe(2);
    expect(late).toMatchObject({ state: 'unknown', reason: expect.stringMatching(/expired at/) });
  });

  it('relies on a token list without exp for at most the wallet\'s maximum age, however long its ttl', async () => {
    const lst = await encodeLst(packStatuses([0], 1));
    const tenYears = 10 * 365 * 24 * 3600;
    const fetcher = new FakeFetcher().serve(TOKEN, await signStatusListToken(issuer, TOKEN, { bits: 1, lst, ttl: tenYears }));
    const cache = new StatusListCache();
    const first = await checkStatus([token(0)], context(fetcher, { cache }));
    expect(first).toMatchObject({ state: 'valid', nextCheckAt: iso(NOW + STATUS_LIST_MAX_AGE_MS) });
    await checkStatus([token(0)], context(fetcher, { cache, now: NOW + STATUS_LIST_MAX_AGE_MS - 1 }));
    expect(fetcher.count(TOKEN)).toBe(1);
    await checkStatus([token(0)], context(fetcher, { cache, now: NOW + STATUS_LIST_MAX_AGE_MS }));
    expect(fetcher.count(TOKEN)).toBe(2);
    expect(STATUS_LIST_MAX_AGE_MS).toBe(24 * 3600 * 1000);
  });

  it('bounds a W3C ttl by the maximum age too', async () => {
    const encodedList = await encodeBitstring(bitstringWith([]));
    const fetcher = new FakeFetcher().serve(REVOCATION, await signVcJwt2(issuer, REVOCATION, { encodedList, ttl: 30 * 24 * 3600 * 1000 }));
    const cache = new StatusListCache();
    expect((await checkStatus([revocation(0)], context(fetcher, { cache }))).nextCheckAt).toBe(iso(NOW + STATUS_LIST_MAX_AGE_MS));
    await checkStatus([revocation(0)], context(fetcher, { cache, now: NOW + STATUS_LIST_MAX_AGE_MS }));
    expect(fetcher.count(REVOCATION)).toBe(2);
  });

  it('schedules the next check at the smallest ttl, never sooner than a minute', async () => {
    const encodedList = await encodeBitstring(bitstringWith([]));
    const lst = await encodeLst(packStatuses([0], 1));
    const fetcher = new FakeFetcher()
      .serve(REVOCATION, await signVcJwt2(issuer, REVOCATION, { encodedList, ttl: 20 * MIN }))
      .serve(TOKEN, await signStatusListToken(issuer, TOKEN, { bits: 1, lst, ttl: 300 }));
    expect((await checkStatus([revocation(0), token(0)], context(fetcher))).nextCheckAt).toBe(iso(NOW + 5 * MIN));
    const hasty = new FakeFetcher().serve(REVOCATION, await signVcJwt2(issuer, REVOCATION, { encodedList, ttl: 1000 }));
    expect((await checkStatus([revocation(0)], context(hasty))).nextCheckAt).toBe(iso(NOW + MIN_RECHECK_MS));
  });

  it('does not cache failures', async () => {
    const fetcher = new FakeFetcher().fail(REVOCATION, new Error('offline'));
    const cache = new StatusListCache();
    expect((await checkStatus([revocation(0)], context(fetcher, { cache }))).state).toBe('unknown');
    fetcher.serve(REVOCATION, revocationJwt);
    expect((await checkStatus([revocation(0)], context(fetcher, { cache, now: NOW + 1000 }))).state).toBe('revoked');
    expect(fetcher.count(REVOCATION)).toBe(2);
  });

  it("does not serve a cached list to another issuer's credential", async () => {
    const fetcher = published();
    const cache = new StatusListCache();
    await checkStatus([revocation(0)], context(fetcher, { cache }));
    const status = await checkStatus([revocation(1)], context(fetcher, { cache, issuer: other.did }));
    expect(status).toMatchObject({ state: 'unknown', reason: expect.stringMatching(new RegExp(`issued by ${issuer.did}, not by the credential's issuer ${other.did}`)) });
  });

  it('shares one fetch among concurrent checks', async () => {
    const fetcher = published();
    const cache = new StatusListCache();
    const results = await Promise.all([0, 1, 7, 8].map((i) => checkStatus([revocation(i)], context(fetcher, { cache }))));
    expect(results.map((r) => r.state)).toEqual(['revoked', 'valid', 'revoked', 'revoked']);
    expect(fetcher.count(REVOCATION)).toBe(1);
  });
});

describe('StatusListCache', () => {
  const entry = (bytes: number) => ({
    kind: 'bitstring' as const,
    list: { id: 'https://issuer.example/status/cached', issuer: 'did:example:1', purposes: ['revocation'], bitstring: new Uint8Array(bytes), validFrom: null, validUntil: null, ttlMs: null },
  });

  it('expires entries and drops the oldest beyond its limits', () => {
    const cache = new StatusListCache({ maxEntries: 2, maxBytes: 100 });
    cache.set('a', entry(10), NOW + 1000, NOW);
    cache.set('b', entry(10), NOW + 1000, NOW);
    cache.set('c', entry(10), NOW + 1000, NOW);
    expect([cache.get('a', NOW), cache.get('b', NOW) !== undefined, cache.get('c', NOW) !== undefined]).toEqual([undefined, true, true]);
    cache.set('big', entry(95), NOW + 1000, NOW);
    expect(cache.size).toBe(1);
    expect(cache.get('big', NOW + 999)).toBeDefined();
    expect(cache.get('big', NOW + 1000)).toBeUndefined();
    cache.set('past', entry(1), NOW, NOW);
    expect(cache.get('past', NOW)).toBeUndefined();
  });
});

describe('isDue', () => {
  const status = (s: Partial<CredentialStatus>): CredentialStatus => ({ state: 'valid', checkedAt: iso(NOW), reason: null, nextCheckAt: null, ...s });

  it('is due when never checked or when nextCheckAt has come', () => {
    expect(isDue(status({ checkedAt: null }), NOW)).toBe(true);
    expect(isDue(status({ nextCheckAt: iso(NOW) }), NOW)).toBe(true);
    expect(isDue(status({ state: 'unknown', nextCheckAt: iso(NOW - 1) }), NOW)).toBe(true);
    expect(isDue(status({ state: 'suspended', nextCheckAt: iso(NOW - 1) }), NOW)).toBe(true);
  });

  it('is not due before nextCheckAt, with nothing published, or once revoked or expired', () => {
    expect(isDue(status({ nextCheckAt: iso(NOW + 1) }), NOW)).toBe(false);
    expect(isDue(status({}), NOW)).toBe(false);
    expect(isDue(status({ state: 'revoked', nextCheckAt: iso(NOW - 1) }), NOW)).toBe(false);
    expect(isDue(status({ state: 'expired', nextCheckAt: null }), NOW)).toBe(false);
  });
});
