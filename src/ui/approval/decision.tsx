/**
 * Answering an approval, shared by every kind of request: one `resolveApproval` at a
 * time, then the window closes. A request already settled elsewhere (a timeout,
 * another window) is not an error: the window simply has nothing left to do.
 * The button that releases data is armed only after the window has been on screen
 * for a moment (see arming.ts); rejecting is always possible, also with Escape.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CredentialSelection } from '../../protocol/internal.ts';
import { useAction } from '../components/hooks.ts';
import { documentVisibility } from '../components/page-visibility.ts';
import { UiRequestError, closeThisWindow, sendUiCommand } from '../components/wallet-client.ts';
import { watchArming } from './arming.ts';

export type Choice = 'approve' | 'reject';

/** Settled, or unknown to the background (already answered, or expired): nothing left to show. */
export function isGone(error: unknown): boolean {
  return error instanceof UiRequestError && error.code === 'not_found';
}

export interface Decision {
  busy: boolean;
  error: string | null;
  /** The button last pressed, for its "…ing" label. */
  choice: Choice | null;
  decide: (choice: Choice, selection?: CredentialSelection) => Promise<boolean>;
}

export function useDecision(approvalId: string, onFinished: () => void): Decision {
  const action = useAction();
  const [choice, setChoice] = useState<Choice | null>(null);
  const decide = (next: Choice, selection?: CredentialSelection) =>
    action.run(async () => {
      setChoice(next);
      try {
        await sendUiCommand({
          command: 'resolveApproval',
          approvalId,
          decision: next,
          ...(selection ? { selection } : {}),
        });
      } catch (failure) {
        if (!isGone(failure)) throw failure;
      }
      onFinished();
    });
  return { busy: action.busy, error: action.error, choice, decide };
}

/** Ids the request views give their title and origin, so the decision buttons can name them. */
export const TITLE_ID = 'approval-title';
export const ORIGIN_ID = 'approval-origin-badge';
export const DESCRIBED_BY = `${TITLE_ID} ${ORIGIN_ID}`;

/** False until this window has been visible for the arming delay; false again while hidden. */
export function useArmed(): boolean {
  const [armed, setArmed] = useState(false);
  useEffect(() => watchArming(documentVisibility, setArmed), []);
  return armed;
}

/** Escape rejects, as closing a dialog would; it never approves anything. */
function useEscapeRejects(onReject: () => void): void {
  const latest = useRef(onReject);
  latest.current = onReject;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || event.repeat) return;
      event.preventDefault();
      latest.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

/**
 * Reject on the left, approve on the right, as in the identity window. The approve
 * button carries `disabled` until armed (DESIGN §7); each button names what it does
 * for whom through `aria-describedby` (the request's title and origin by default).
 */
export function DecisionButtons({
  decision,
  approveLabel,
  approvingLabel,
  rejectLabel = 'Reject',
  approveDisabled = false,
  approveTitle,
  describedBy = DESCRIBED_BY,
  onApprove,
}: {
  decision: Decision;
  approveLabel: string;
  approvingLabel: string;
  rejectLabel?: string;
  approveDisabled?: boolean;
  approveTitle?: string | undefined;
  describedBy?: string;
  onApprove: () => void;
}) {
  const { busy, choice } = decision;
  const armed = useArmed();
  const reject = () => {
    if (!busy) void decision.decide('reject');
  };
  useEscapeRejects(reject);
  return (
    <div class="actions actions-sticky" role="group" aria-label="Your decision">
      <button
        type="button"
        class="button"
        data-testid="reject"
        disabled={busy}
        aria-describedby={describedBy}
        aria-keyshortcuts="Escape"
        onClick={reject}
      >
        {busy && choice === 'reject' ? 'Rejecting…' : rejectLabel}
      </button>
      <button
        type="button"
        class="button primary"
        data-testid="approve"
        data-armed={armed ? 'true' : 'false'}
        disabled={busy || approveDisabled || !armed}
        title={armed ? approveTitle : 'Available once this window has been on screen for a moment'}
        aria-describedby={describedBy}
        onClick={() => {
          if (armed && !busy) onApprove();
        }}
      >
        {busy && choice === 'approve' ? approvingLabel : approveLabel}
      </button>
    </div>
  );
}

export function CloseButton() {
  return (
    <div class="row row-end">
      <button type="button" class="button" onClick={closeThisWindow}>
        Close
      </button>
    </div>
  );
}
