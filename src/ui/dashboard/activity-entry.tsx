/** One timeline entry: when, what in plain words, what it said, and deleting its contents. */
import type { ActivityEntryView } from '../../protocol/internal.ts';
import { formatDateTime } from '../components/format.ts';
import { useAction } from '../components/hooks.ts';
import { ErrorText } from '../components/page.tsx';
import { sendUiCommand } from '../components/wallet-client.ts';
import { activityKindLabel, payloadLines } from './activity-words.ts';
import { InlineConfirm, useConfirm } from './confirm.tsx';

export function ActivityEntry({
  entry,
  onDeleted,
  onFilterSite,
}: {
  entry: ActivityEntryView;
  onDeleted: () => Promise<void>;
  onFilterSite: (origin: string) => void;
}) {
  const action = useAction();
  const confirm = useConfirm(`delete-entry-${entry.seq}`);
  const remove = () =>
    action.run(async () => {
      await sendUiCommand({ command: 'deleteActivityPayload', seq: entry.seq });
      confirm.close();
      await onDeleted();
    });
  const lines = payloadLines(entry.payload);
  return (
    <li class="timeline-entry" data-testid={`activity-entry-${entry.seq}`} data-kind={entry.kind}>
      <div class="spread wrap">
        <span>
          <strong>{activityKindLabel(entry.kind)}</strong> <span class="muted small">#{entry.seq}</span>
        </span>
        <time class="muted small" dateTime={entry.at}>
          {formatDateTime(entry.at)}
        </time>
      </div>
      {entry.deleted ? (
        <p class="muted small" data-testid={`activity-deleted-${entry.seq}`}>
          Contents deleted by you. The entry stays so the log still verifies.
        </p>
      ) : (
        <dl class="entry-lines small">
          {lines.map((line) => (
            <div key={line.label}>
              <dt>{line.label}</dt>
              <dd>{line.text}</dd>
            </div>
          ))}
        </dl>
      )}
      <div class="row wrap">
        {entry.origin ? (
          <button type="button" class="link-button small" onClick={() => onFilterSite(entry.origin ?? '')}>
            Only this site
          </button>
        ) : null}
        {entry.deleted ? null : (
          <button
            type="button"
            class="link-button small danger-text"
            data-testid={`delete-entry-${entry.seq}`}
            aria-label={`Delete entry ${entry.seq}`}
            disabled={action.busy}
            onClick={confirm.ask}
          >
            Delete entry
          </button>
        )}
      </div>
      {confirm.open ? (
        <InlineConfirm
          question="Delete what this entry says? The log keeps a sealed placeholder, so it still verifies; this cannot be undone."
          confirmLabel="Delete"
          busy={action.busy}
          onConfirm={() => void remove()}
          onCancel={confirm.close}
        />
      ) : null}
      <ErrorText message={action.error} testId={`activity-entry-error-${entry.seq}`} />
    </li>
  );
}
