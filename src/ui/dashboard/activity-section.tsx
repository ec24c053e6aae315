/**
 * The Activity tab: the tamper-evident log as a timeline, newest first, a page at a
 * time, filtered by site and kind; whether the log is intact; deleting one entry's
 * contents (the entry stays, so the chain still verifies); and the export of
 * everything the wallet knows about the user.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ActivityPageView } from '../../protocol/internal.ts';
import { usePolled } from '../components/hooks.ts';
import { formatCount } from '../components/format.ts';
import { ErrorText, Loading } from '../components/page.tsx';
import { UiRequestError, sendUiCommand } from '../components/wallet-client.ts';
import { ActivityEntry } from './activity-entry.tsx';
import { ActivityFilters, type Filters } from './activity-filters.tsx';
import { ExportButton, LedgerIntegrity, useLedgerIntegrity } from './ledger-integrity.tsx';
import { Pager } from './pager.tsx';

export const ENTRIES_PER_PAGE = 25;

export function ActivitySection({ onLocked }: { onLocked: () => void }) {
  const [page, setPage] = useState(0);
  const [filters, setFilters] = useState<Filters>({ origin: '', kind: '' });
  const load = (): Promise<ActivityPageView> =>
    sendUiCommand({
      command: 'listActivity',
      offset: page * ENTRIES_PER_PAGE,
      limit: ENTRIES_PER_PAGE,
      ...(filters.origin ? { origin: filters.origin } : {}),
      ...(filters.kind ? { kind: filters.kind } : {}),
    });
  const activity = usePolled(load, true, (failure) => {
    if (failure instanceof UiRequestError && failure.code === 'locked') onLocked();
  });
  const integrity = useLedgerIntegrity();
  // A new page or filter: ask now rather than at the next change.
  const { refresh } = activity;
  useEffect(() => void refresh(), [page, filters, refresh]);

  const total = activity.value?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / ENTRIES_PER_PAGE));
  const entries = activity.value?.entries ?? [];
  const afterDelete = async () => {
    await activity.refresh();
    await integrity.check();
  };

  return (
    <section class="section" id="activity" aria-labelledby="activity-heading" tabIndex={-1}>
      <div class="spread wrap">
        <h2 id="activity-heading">Activity</h2>
        <ExportButton />
      </div>
      <p class="muted small">
        Every login, credential received, share, grant, access and revocation, in a log that shows if anyone altered
        it. Entries hold what happened (sites, credential types, claim names, purposes), never the claim values.
      </p>
      <LedgerIntegrity state={integrity} />
      <ActivityFilters
        filters={filters}
        onChange={(next) => {
          setFilters(next);
          setPage(0);
        }}
      />
      <ErrorText message={activity.error} testId="activity-error" />
      {activity.value === undefined && !activity.error ? <Loading /> : null}
      {activity.value !== undefined && entries.length === 0 ? (
        <p class="card muted" data-testid="activity-empty">
          {filters.origin || filters.kind ? 'No entries match these filters.' : 'Nothing has happened yet.'}
        </p>
      ) : null}
      {entries.length > 0 ? (
        <>
          <p class="muted small" data-testid="activity-count">
            {formatCount(total)} {total === 1 ? 'entry' : 'entries'}
          </p>
          <ol class="timeline">
            {entries.map((entry) => (
              <ActivityEntry
                key={entry.seq}
                entry={entry}
                onDeleted={afterDelete}
                onFilterSite={(origin) => {
                  setFilters({ ...filters, origin });
                  setPage(0);
                }}
              />
            ))}
          </ol>
        </>
      ) : null}
      <Pager label="Activity" page={Math.min(page, pageCount - 1)} pageCount={pageCount} onPage={setPage} testId="activity-pager" />
    </section>
  );
}
