/**
 * Answering an approval, shared by every kind of request: one `resolveApproval` at a
 * time, then the window closes. A request already settled elsewhere (a timeout,
 * another window) is not an error: the window simply has nothing left to do.
 */
import { useState } from 'preact/hooks';
import type { CredentialSelection } from '../../protocol/internal.ts';
import { useAction } from '../components/hooks.ts';
import { UiRequestError, closeThisWindow, sendUiCommand } from '../components/wallet-client.ts';

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

/** Reject on the left, approve on the right, as in the identity window. */
export function DecisionButtons({
  decision,
  approveLabel,
  approvingLabel,
  rejectLabel = 'Reject',
  approveDisabled = false,
  approveTitle,
  onApprove,
}: {
  decision: Decision;
  approveLabel: string;
  approvingLabel: string;
  rejectLabel?: string;
  approveDisabled?: boolean;
  approveTitle?: string;
  onApprove: () => void;
}) {
  const { busy, choice } = decision;
  return (
    <div class="actions actions-sticky">
      <button
        type="button"
        class="button"
        data-testid="reject"
        disabled={busy}
        onClick={() => void decision.decide('reject')}
      >
        {busy && choice === 'reject' ? 'Rejecting…' : rejectLabel}
      </button>
      <button
        type="button"
        class="button primary"
        data-testid="approve"
        disabled={busy || approveDisabled}
        title={approveTitle}
        onClick={onApprove}
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
