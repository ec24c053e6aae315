import { describe, expect, test } from 'vitest';
import type { GrantView } from '../../protocol/internal.ts';
import { filterSites, grantsFingerprint, groupBySite, pageOf, usageText } from './access-model.ts';

let counter = 0;
function grant(origin: string, overrides: Partial<GrantView> = {}): GrantView {
  counter += 1;
  return {
    id: `grant-${String(counter).padStart(6, '0')}`,
    kind: 'data',
    origin,
    did: 'did:key:z6Mkexample',
    purposes: ['dpv:ServiceProvision'],
    purposeViews: [],
    createdAt: `2026-01-${String((counter % 28) + 1).padStart(2, '0')}T00:00:00.000Z`,
    expiresAt: null,
    status: 'active',
    credentials: [],
    usageLimit: null,
    usageCount: 0,
    retentionDays: null,
    lastAccessAt: null,
    requester: { verified: false, origin, reason: 'no accreditation' },
    hasReceipt: true,
    events: [],
    ...overrides,
  };
}

describe('groupBySite', () => {
  test('one group per origin; sites with an active grant first, then the most recently used', () => {
    const ended = grant('https://old.example', { status: 'revoked', createdAt: '2026-03-01T00:00:00.000Z' });
    const quiet = grant('https://quiet.example', { createdAt: '2026-01-01T00:00:00.000Z' });
    const busy = grant('https://busy.example', { createdAt: '2026-01-01T00:00:00.000Z', lastAccessAt: '2026-02-01T00:00:00.000Z' });
    const busyOld = grant('https://busy.example', { status: 'expired', createdAt: '2026-02-15T00:00:00.000Z' });
    const groups = groupBySite([ended, quiet, busyOld, busy]);
    expect(groups.map((group) => group.origin)).toEqual(['https://busy.example', 'https://quiet.example', 'https://old.example']);
    // Within a site, the live grant comes before a newer ended one.
    expect(groups[0]!.grants.map((g) => g.id)).toEqual([busy.id, busyOld.id]);
    expect(groups.map((group) => group.active)).toEqual([1, 1, 0]);
  });

  test('10,000 grants group and page within the 200 ms paint budget (nothing quadratic)', () => {
    const grants = Array.from({ length: 10_000 }, (_, index) => grant(`https://site-${index % 2500}.example`));
    const started = performance.now();
    const page = pageOf(groupBySite(grants), 0, 20);
    const elapsed = performance.now() - started;
    expect(page.items).toHaveLength(20);
    expect(page.pageCount).toBe(125);
    expect(page.items.every((group) => group.grants.length === 4)).toBe(true);
    expect(elapsed).toBeLessThan(200);
  });
});

describe('pageOf', () => {
  test('clamps the page into range and always has at least one page', () => {
    expect(pageOf([1, 2, 3, 4, 5], 1, 2)).toEqual({ items: [3, 4], page: 1, pageCount: 3 });
    expect(pageOf([1, 2, 3, 4, 5], 9, 2)).toEqual({ items: [5], page: 2, pageCount: 3 });
    expect(pageOf([], 0, 2)).toEqual({ items: [], page: 0, pageCount: 1 });
  });
});

describe('filterSites and usageText', () => {
  test('filters by part of the origin, case-insensitively', () => {
    const groups = groupBySite([grant('https://Library.example'), grant('https://shop.example')]);
    expect(filterSites(groups, ' library ').map((group) => group.origin)).toEqual(['https://Library.example']);
    expect(filterSites(groups, '')).toHaveLength(2);
  });

  test('says how much of a usage limit is used, or that there is none', () => {
    expect(usageText({ usageCount: 3, usageLimit: 10 })).toBe('3 of 10 accesses used');
    expect(usageText({ usageCount: 1, usageLimit: null })).toBe('1 access, no limit');
  });
});

describe('grantsFingerprint', () => {
  test('changes when a grant is revoked, used or added, not otherwise', () => {
    const base = [grant('https://a.example'), grant('https://b.example')];
    const same = base.map((item) => ({ ...item }));
    expect(grantsFingerprint(same)).toBe(grantsFingerprint(base));
    expect(grantsFingerprint([{ ...base[0]!, status: 'revoked' }, base[1]!])).not.toBe(grantsFingerprint(base));
    expect(grantsFingerprint([{ ...base[0]!, usageCount: 1, lastAccessAt: '2026-02-01T00:00:00.000Z' }, base[1]!])).not.toBe(grantsFingerprint(base));
    expect(grantsFingerprint([...base, grant('https://c.example')])).not.toBe(grantsFingerprint(base));
  });
});
