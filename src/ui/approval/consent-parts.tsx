/**
 * The consent window's smaller pieces: one credential to choose among several, and
 * the list of claims with a checkbox each (what is ticked leaves).
 */
import type { ConsentCandidateView, ConsentClaimView } from '../../protocol/internal.ts';
import {
  ClaimValue,
  StatusBadge,
  TrustBadge,
  When,
  claimKey,
  claimLabel,
  credentialTypeLabel,
  issuerName,
  keyClaims,
} from '../components/credential.tsx';
import { type QueryChoice, isShared } from './consent-choice.ts';

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
  return (
    <label class={checked ? 'candidate candidate-checked' : 'candidate'}>
      <input
        type="radio"
        name={`candidate-${queryId}`}
        value={credential.id}
        data-testid={`candidate-${queryId}-${credential.id}`}
        checked={checked}
        disabled={disabled}
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
            {summary.map((claim) => `${claimLabel(claim.path)}: ${plainValue(claim.value)}`).join(' · ')}
          </span>
        ) : null}
        {credential.receivedAt ? (
          <span class="muted small">
            received <When iso={credential.receivedAt} />
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
}: {
  claims: ConsentClaimView[];
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
        return (
          <li key={key} class={isShared(claim, choice) ? 'claim-row claim-row-check' : 'claim-row claim-row-check claim-off'}>
            <input
              type="checkbox"
              id={inputId}
              data-testid={`claim-${key}`}
              checked={isShared(claim, choice)}
              disabled={disabled || !claim.disclosable}
              onChange={(event) => onToggle(claim, event.currentTarget.checked)}
            />
            <label class="claim-name" for={inputId} title={key}>
              {claimLabel(claim.path)}
              {claim.requested ? <span class="pill pill-small">asked</span> : null}
              {!claim.disclosable && !wholeCredential ? (
                <span class="muted small"> always shared</span>
              ) : null}
            </label>
            <span class="claim-value">
              <ClaimValue value={claim.value} />
            </span>
          </li>
        );
      })}
    </ul>
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
