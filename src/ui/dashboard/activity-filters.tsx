/** Filter the timeline by site (exact origin) and by kind of event. */
import { useEffect, useState } from 'preact/hooks';
import { ACTIVITY_KINDS, activityKindLabel } from './activity-words.ts';

export interface Filters {
  origin: string;
  kind: string;
}

export function ActivityFilters({ filters, onChange }: { filters: Filters; onChange: (filters: Filters) => void }) {
  // The site is typed, then applied (Enter or the button), so a half-typed origin queries nothing.
  const [site, setSite] = useState(filters.origin);
  useEffect(() => setSite(filters.origin), [filters.origin]);
  return (
    <form
      class="filters row wrap"
      aria-label="Filter the activity"
      onSubmit={(event) => {
        event.preventDefault();
        onChange({ ...filters, origin: site.trim() });
      }}
    >
      <div class="field">
        <label class="field-label" for="activity-filter-site">
          Site
        </label>
        <input
          id="activity-filter-site"
          type="text"
          data-testid="activity-filter-site"
          placeholder="https://example.org"
          value={site}
          onInput={(event) => setSite(event.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label class="field-label" for="activity-filter-kind">
          Kind
        </label>
        <select
          id="activity-filter-kind"
          data-testid="activity-filter-kind"
          value={filters.kind}
          onChange={(event) => onChange({ ...filters, origin: site.trim(), kind: event.currentTarget.value })}
        >
          <option value="">Every kind</option>
          {ACTIVITY_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {activityKindLabel(kind)}
            </option>
          ))}
        </select>
      </div>
      <div class="row filters-actions">
        <button type="submit" class="button small" data-testid="activity-filter-apply">
          Filter
        </button>
        {filters.origin || filters.kind ? (
          <button
            type="button"
            class="button small"
            data-testid="activity-filter-clear"
            onClick={() => onChange({ origin: '', kind: '' })}
          >
            Show all
          </button>
        ) : null}
      </div>
    </form>
  );
}
