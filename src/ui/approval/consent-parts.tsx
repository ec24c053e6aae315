/**
 * The consent window's smaller pieces: one credential to choose among several (greyed,
 * with the reason, when the wallet refuses it to this requester), and the list of
 * claims with a checkbox each (what is ticked leaves), each flagged where research
 * access asks more than it should: a direct identifier, or beyond the accreditation.
 */
import type { ConsentCandidateView, ConsentClaimView } from '../../protocol/internal.ts';
import {
  StatusBadge,
  TrustBadge,
  When,
  claimKey,
  ClaimName,
  claimNameText,
  credentialTypeLabel,
  issuerName,
  keyClaims,
} from '../components/credential.tsx';
import { ClaimValue } from '../components/claim-value.tsx';
import { type QueryChoice, isBlocked, isShared } from './consent-choice.ts';

export function CandidateOption({
  queryId,
  candidate,
  checked,
  disabled,
  onSelect,
}: {
  queryId: string;
  candidate: ConsentCandidateView;
  checked: boolean;
  disabled: boolean;
  onSelect: () => void;
}) {
  const { credential } = candidate;
  const summary = keyClaims(credential, 2);
  const refused = isBlocked(candidate);
  const reasonId = `blocked-reason-${queryId}-${credential.id}`;
  return (
    <label class={refused ? 'candidate candidate-blocked' : checked ? 'candidate candidate-checked' : 'candidate'}>
      <input
        type="radio"
        name={`candidate-${queryId}`}
        value={credential.id}
        data-testid={`candidate-${queryId}-${credential.id}`}
        checked={checked && !refused}
        disabled={disabled || refused}
        aria-describedby={refused ? reasonId : undefined}
        onChange={(event) => {
          if (event.currentTarget.checked) onSelect();
        }}
      />
      <span class="candidate-body">
        <span class="candidate-title">
          {credentialTypeLabel(credential)} <StatusBadge status={credential.status} />
        </span>
        <span class="small">
          from {issuerName(credential)} <TrustBadge credential={credential} />
        </span>
        {summary.length > 0 ? (
          <span class="muted small">
            {summary.map((claim) => `${claimNameText(claim.path, credential.display)}: ${plainValue(claim.value)}`).join(' · ')}
          </span>
        ) : null}
        {credential.receivedAt ? (
          <span class="muted small">
            received <When iso={credential.receivedAt} />
          </span>
        ) : null}
        {refused ? (
          <span class="blocked-reason small" id={reasonId} data-testid={`blocked-${credential.id}`}>
            <strong>Not shared with this requester:</strong> {candidate.blocked}
          </span>
        ) : null}
      </span>
    </label>
  );
}

function plainValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

export function ClaimList({
  claims,
  choice,
  queryId,
  disabled,
  wholeCredential,
  onToggle,
  display,
}: {
  claims: ConsentClaimView[];
  /** The credential's display metadata: claim labels. */
  display?: ConsentCandidateView['credential']['display'];
  choice: QueryChoice;
  queryId: string;
  disabled: boolean;
  wholeCredential: boolean;
  onToggle: (claim: ConsentClaimView, on: boolean) => void;
}) {
  return (
    <ul class="claims">
      {claims.map((claim) => {
        const key = claimKey(claim.path);
        // Unique within the page even when two queries share a path (the test id may repeat across queries).
        const inputId = `claim-input-${queryId}-${key}`;
        const flagged = Boolean(claim.directIdentifier) || claim.beyondAccreditation === true;
        const flagsId = `claim-flags-${queryId}-${key}`;
        return (
          <li key={key} class={isShared(claim, choice) ? 'claim-row claim-row-check' : 'claim-row claim-row-check claim-off'}>
            <input
              type="checkbox"
              id={inputId}
              data-testid={`claim-${key}`}
              checked={isShared(claim, choice)}
              disabled={disabled || !claim.disclosable}
              aria-describedby={flagged ? flagsId : undefined}
              onChange={(event) => onToggle(claim, event.currentTarget.checked)}
            />
            <label class="claim-name" for={inputId}>
              <ClaimName path={claim.path} display={display} />
              {claim.requested ? <span class="pill pill-small">asked</span> : null}
              {!claim.disclosable && !wholeCredential ? (
                <span class="muted small"> always shared</span>
              ) : null}
            </label>
            <span class="claim-value">
              <ClaimValue value={claim.value} />
            </span>
            {flagged ? <ClaimFlags claim={claim} testKey={key} id={flagsId} /> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** Why a claim deserves a second look under research access; words, not only colour. */
function ClaimFlags({ claim, testKey, id }: { claim: ConsentClaimView; testKey: string; id: string }) {
  return (
    <span class="claim-flags" id={id}>
      {claim.directIdentifier ? (
        <span class="pill pill-warn pill-flag" data-testid={`direct-identifier-${testKey}`}>
          ⚠ Direct identifier: {claim.directIdentifier}
        </span>
      ) : null}
      {claim.beyondAccreditation ? (
        <span class="pill pill-warn pill-flag" data-testid={`beyond-accreditation-${testKey}`}>
          ⚠ Beyond the accreditation: the study may not ask for this
        </span>
      ) : null}
    </span>
  );
}

/** A credential whose status could not be checked leaves only once the user says so. */
export function UnknownStatusAck({
  checked,
  disabled,
  onChange,
}: {
  checked: boolean;
  disabled: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label class="checkbox-line warning">
      <input
        type="checkbox"
        data-testid="accept-unknown-status"
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
      <span>I understand that the credential&apos;s status could not be confirmed, and want to share it anyway.</span>
    </label>
  );
}

/** Why the approve button stays disabled when the wallet refuses every credential a query could use. */
export function RefusalText({ refusal }: { refusal: string | null }) {
  if (refusal === null) return null;
  return (
    <p class="error" data-testid="approval-refused">
      <strong>You cannot approve this request:</strong> {refusal}
    </p>
  );
}
