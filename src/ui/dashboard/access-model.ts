/**
 * The Access tab's model: grants grouped by site, the sites with live access first,
 * then paged, so ten thousand grants cost one sort and one page of rows. Pure
 * functions, tested without a browser.
 */
import type { GrantView } from '../../protocol/internal.ts';
import { formatCount } from '../components/format.ts';

export interface SiteGroup {
  origin: string;
  /** Active grants first, then newest first. */
  grants: GrantView[];
  active: number;
  /** The latest access or grant, for ordering the sites. */
  latest: string;
}

const latestOf = (grant: GrantView) =>
  grant.lastAccessAt && grant.lastAccessAt > grant.createdAt ? grant.lastAccessAt : grant.createdAt;

/** ISO times and origins compare as plain strings: localeCompare would cost more than the rest. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const byActiveThenNewest = (a: GrantView, b: GrantView) => {
  const live = Number(b.status === 'active') - Number(a.status === 'active');
  return live !== 0 ? live : compare(b.createdAt, a.createdAt);
};

export function groupBySite(grants: readonly GrantView[]): SiteGroup[] {
  const bySite = new Map<string, SiteGroup>();
  for (const grant of grants) {
    let group = bySite.get(grant.origin);
    if (!group) {
      group = { origin: grant.origin, grants: [], active: 0, latest: '' };
      bySite.set(grant.origin, group);
    }
    group.grants.push(grant);
    if (grant.status === 'active') group.active += 1;
    const latest = latestOf(grant);
    if (latest > group.latest) group.latest = latest;
  }
  const groups = [...bySite.values()];
  for (const group of groups) group.grants.sort(byActiveThenNewest);
  return groups.sort((a, b) => {
    const live = Number(b.active > 0) - Number(a.active > 0);
    if (live !== 0) return live;
    const recent = compare(b.latest, a.latest);
    return recent !== 0 ? recent : compare(a.origin, b.origin);
  });
}

export interface Page<T> {
  items: T[];
  page: number;
  pageCount: number;
}

/** One page (0-based, clamped into range) of `items`. */
export function pageOf<T>(items: readonly T[], page: number, size: number): Page<T> {
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(0, Math.floor(page)), pageCount - 1);
  return { items: items.slice(current * size, current * size + size), page: current, pageCount };
}

/** Sites whose origin contains `query` (case-insensitive); all of them for an empty query. */
export function filterSites(groups: readonly SiteGroup[], query: string): SiteGroup[] {
  const needle = query.trim().toLowerCase();
  return needle ? groups.filter((group) => group.origin.toLowerCase().includes(needle)) : [...groups];
}

/** "3 of 10 used", "7 used, no limit". */
export function usageText(grant: Pick<GrantView, 'usageCount' | 'usageLimit'>): string {
  const used = formatCount(grant.usageCount);
  return grant.usageLimit === null
    ? `${used} ${grant.usageCount === 1 ? 'access' : 'accesses'}, no limit`
    : `${used} of ${formatCount(grant.usageLimit)} accesses used`;
}

/**
 * What can change in a grant list between two polls, as one short string: cheaper by
 * far than JSON of ten thousand grants, and it still catches a revoke, an access or
 * an expiry (grants are never edited otherwise).
 */
export function grantsFingerprint(grants: readonly GrantView[]): string {
  let text = String(grants.length);
  for (const grant of grants) text += `|${grant.id}:${grant.status}:${grant.usageCount}:${grant.lastAccessAt ?? ''}:${grant.events.length}`;
  return text;
}
