/**
 * The Access tab: who has access to what, grouped by site, sites with live access
 * first. Paged by site (and within a busy site), so ten thousand grants render one
 * page of rows. Revoking asks once, then ends the access at once.
 */
import { useMemo, useState } from 'preact/hooks';
import type { GrantView } from '../../protocol/internal.ts';
import { usePolled } from '../components/hooks.ts';
import { OriginBadge } from '../components/origin-badge.tsx';
import { ErrorText, Loading } from '../components/page.tsx';
import { UiRequestError, sendUiCommand } from '../components/wallet-client.ts';
import { type SiteGroup, filterSites, grantsFingerprint, groupBySite, pageOf } from './access-model.ts';
import { GrantCard } from './grant-card.tsx';
import { Pager } from './pager.tsx';

const listGrants = () => sendUiCommand({ command: 'listGrants' });
export const SITES_PER_PAGE = 12;
const GRANTS_SHOWN_PER_SITE = 5;

export function AccessSection({ onLocked }: { onLocked: () => void }) {
  const grants = usePolled(
    listGrants,
    true,
    (failure) => {
      // Auto-lock happened between polls: let the page re-read the state and show the unlock form.
      if (failure instanceof UiRequestError && failure.code === 'locked') onLocked();
    },
    undefined,
    grantsFingerprint,
  );
  const [page, setPage] = useState(0);
  const [query, setQuery] = useState('');
  const groups = useMemo(() => groupBySite(grants.value ?? []), [grants.value]);
  const shown = pageOf(filterSites(groups, query), page, SITES_PER_PAGE);
  const active = groups.reduce((sum, group) => sum + group.active, 0);

  // The revoke answer is the grant as it now stands: show it without waiting for the next poll.
  const replace = (updated: GrantView) =>
    grants.update((current = []) => current.map((grant) => (grant.id === updated.id ? updated : grant)));

  return (
    <section class="section" id="access" aria-labelledby="access-heading" tabIndex={-1}>
      <div class="spread wrap">
        <h2 id="access-heading">Access</h2>
        {grants.value ? (
          <span class="muted small" data-testid="access-summary">
            {active} active {active === 1 ? 'grant' : 'grants'} · {groups.length} {groups.length === 1 ? 'site' : 'sites'}
          </span>
        ) : null}
      </div>
      <p class="muted small">
        Every site you have logged in to or given access to your data. Revoking ends the site&apos;s access at once; the
        site learns of it immediately if open, or on its next request.
      </p>
      <ErrorText message={grants.error} testId="grants-error" />
      {grants.value === undefined && !grants.error ? <Loading /> : null}
      {grants.value !== undefined && groups.length === 0 ? (
        <p class="card muted" data-testid="grants-empty">
          No grants yet. When you approve a site&apos;s request, it is listed here.
        </p>
      ) : null}
      {groups.length > SITES_PER_PAGE ? (
        <div class="field">
          <label class="field-label" for="access-filter">
            Find a site
          </label>
          <input
            id="access-filter"
            type="text"
            data-testid="access-filter"
            value={query}
            placeholder="part of the address"
            onInput={(event) => {
              setQuery(event.currentTarget.value);
              setPage(0);
            }}
          />
        </div>
      ) : null}
      {shown.items.length > 0 ? (
        <ul class="site-groups">
          {shown.items.map((group) => (
            <SiteGroupCard key={group.origin} group={group} onUpdated={replace} />
          ))}
        </ul>
      ) : null}
      <Pager label="Sites" page={shown.page} pageCount={shown.pageCount} onPage={setPage} testId="access-pager" />
    </section>
  );
}

function SiteGroupCard({ group, onUpdated }: { group: SiteGroup; onUpdated: (grant: GrantView) => void }) {
  const [showAll, setShowAll] = useState(false);
  const grants = showAll ? group.grants : group.grants.slice(0, GRANTS_SHOWN_PER_SITE);
  const hidden = group.grants.length - grants.length;
  return (
    <li class="card site-group" data-testid={`site-${group.origin}`}>
      <div class="spread wrap">
        <h3 class="site-group-title">
          <OriginBadge origin={group.origin} />
        </h3>
        <span class="muted small">
          {group.active} active of {group.grants.length}
        </span>
      </div>
      <ul class="grant-list">
        {grants.map((grant) => (
          <GrantCard key={grant.id} grant={grant} onUpdated={onUpdated} />
        ))}
      </ul>
      {hidden > 0 ? (
        <button type="button" class="link-button small" onClick={() => setShowAll(true)}>
          Show {hidden} more {hidden === 1 ? 'grant' : 'grants'} of this site
        </button>
      ) : null}
    </li>
  );
}
