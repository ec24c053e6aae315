/**
 * Consent to share credentials (OpenID4VP with a DCQL query). For each query the
 * window shows which credential answers it (a choice when several could), who issued
 * it and its status, then every claim that would leave, each with its own checkbox:
 * SD-JWT claims can be withheld or added, a JWT VC leaves whole. A credential whose
 * status could not be checked needs an explicit acknowledgement before sharing.
 */
import { useState } from 'preact/hooks';
import type {
  ConsentCandidateView,
  ConsentClaimView,
  ConsentQueryView,
  CredentialSelection,
  CredentialsApprovalView,
} from '../../protocol/internal.ts';
import {
  ClaimValue,
  FORMAT_LABEL,
  Fact,
  StatusBadge,
  TrustBadge,
  When,
  claimKey,
  claimLabel,
  credentialTypeLabel,
  isInactive,
  issuerName,
  keyClaims,
  statusMeaning,
} from '../components/credential.tsx';
import { formatDateTime } from '../components/format.ts';
import { OriginBadge, isInsecureOrigin } from '../components/origin-badge.tsx';
import { ErrorText } from '../components/page.tsx';
import { DecisionButtons, useDecision } from './decision.tsx';
import { InsecureWarning } from './identity-request.tsx';

/** What the user has chosen for one query: a credential and the claim keys ticked. */
interface QueryChoice {
  credentialId: string;
  /** claimKey() of every ticked disclosable claim; non-disclosable claims always leave. */
  ticked: string[];
}

/** By default exactly the requested claims leave (DESIGN §3.1), plus what cannot be withheld. */
function defaultChoice(candidate: ConsentCandidateView): QueryChoice {
  return {
    credentialId: candidate.credential.id,
    ticked: candidate.claims.filter((claim) => claim.requested && claim.disclosable).map((claim) => claimKey(claim.path)),
  };
}

function isShared(claim: ConsentClaimView, choice: QueryChoice): boolean {
  return !claim.disclosable || choice.ticked.includes(claimKey(claim.path));
}

/**
 * The candidate and choice in force for a query: the user's, unless the candidate it
 * names is no longer offered (a poll brought a changed request), then the first one.
 */
function resolveChoice(
  query: ConsentQueryView,
  choices: Record<string, QueryChoice>,
): { candidate: ConsentCandidateView; choice: QueryChoice } | null {
  const chosen = choices[query.queryId];
  const candidate = chosen ? query.candidates.find((item) => item.credential.id === chosen.credentialId) : undefined;
  if (candidate && chosen) return { candidate, choice: chosen };
  const first = query.candidates[0];
  return first ? { candidate: first, choice: defaultChoice(first) } : null;
}

/** What the site asked for, in words: shown when nothing the wallet holds answers it. */
function AskedFor({ asked }: { asked: ConsentQueryView['asked'] }) {
  const what = asked.types.length > 0 ? asked.types.join(' or ') : (FORMAT_LABEL[asked.format as keyof typeof FORMAT_LABEL] ?? asked.format);
  const claims = asked.claims.map((path) => path.map((part) => (part === null ? '*' : String(part))).join('.'));
  return (
    <p class="small" data-testid="asked-for">
      It asked for: <strong>{what}</strong>
      {claims.length > 0 ? <> with {claims.join(', ')}</> : null}
    </p>
  );
}

export function CredentialsRequest({
  approval,
  pollError,
  onFinished,
}: {
  approval: CredentialsApprovalView;
  pollError: string | null;
  onFinished: () => void;
}) {
  const decision = useDecision(approval.id, onFinished);
  const [choices, setChoices] = useState<Record<string, QueryChoice>>({});
  const [acceptUnknown, setAcceptUnknown] = useState(false);

  const resolved = approval.queries.map((query) => ({ query, current: resolveChoice(query, choices) }));
  const unknownStatus = resolved.some(({ current }) => current?.candidate.credential.status.state === 'unknown');
  const answerable = resolved.filter(({ current }) => current !== null);
  const blocked = unknownStatus && !acceptUnknown;

  const setChoice = (queryId: string, choice: QueryChoice) =>
    setChoices((current) => ({ ...current, [queryId]: choice }));

  const approve = () => {
    if (blocked || answerable.length === 0) return;
    const queries: CredentialSelection['queries'] = {};
    for (const { query, current } of resolved) {
      if (!current) continue;
      queries[query.queryId] = {
        credentialId: current.candidate.credential.id,
        claims: current.candidate.claims.filter((claim) => isShared(claim, current.choice)).map((claim) => claim.path),
      };
    }
    void decision.decide('approve', { queries, acceptUnknownStatus: unknownStatus && acceptUnknown });
  };

  return (
    <div class="stack">
      <h1 class="approval-title">Share credentials</h1>
      <OriginBadge origin={approval.origin} large testId="approval-origin" />
      <p class="approval-lead">asks for:</p>
      {approval.clientId !== null ? (
        <p class="success verified-requester" data-testid="client-id">
          ✓ Verified requester: <code>{approval.clientId}</code>
        </p>
      ) : null}
      {isInsecureOrigin(approval.origin) ? <InsecureWarning /> : null}

      {resolved.map(({ query, current }) => (
        <QueryCard
          key={query.queryId}
          query={query}
          current={current}
          multiple={approval.queries.length > 1}
          disabled={decision.busy}
          onChoice={(choice) => setChoice(query.queryId, choice)}
        />
      ))}

      {unknownStatus ? (
        <label class="checkbox-line warning">
          <input
            type="checkbox"
            data-testid="accept-unknown-status"
            checked={acceptUnknown}
            disabled={decision.busy}
            onChange={(event) => setAcceptUnknown(event.currentTarget.checked)}
          />
          <span>I understand that the credential&apos;s status could not be confirmed, and want to share it anyway.</span>
        </label>
      ) : null}

      <p class="muted small">
        What you share is signed for this site and this request only; it cannot be replayed to another site.
      </p>
      <ErrorText message={decision.error ?? pollError} testId="approval-error" />
      <DecisionButtons
        decision={decision}
        approveLabel="Share"
        approvingLabel="Sharing…"
        approveDisabled={blocked || answerable.length === 0}
        approveTitle={blocked ? 'Confirm the status warning above first' : undefined}
        onApprove={approve}
      />
      <p class="muted small">Requested {formatDateTime(approval.createdAt)}</p>
    </div>
  );
}

function QueryCard({
  query,
  current,
  multiple,
  disabled,
  onChoice,
}: {
  query: ConsentQueryView;
  current: { candidate: ConsentCandidateView; choice: QueryChoice } | null;
  multiple: boolean;
  disabled: boolean;
  onChoice: (choice: QueryChoice) => void;
}) {
  if (!current) {
    return (
      <section class="card" data-testid={`query-${query.queryId}`}>
        {multiple ? <p class="muted small query-id">Request “{query.queryId}”</p> : null}
        <p class="muted">None of your credentials answers this part of the request; nothing is shared for it.</p>
        <AskedFor asked={query.asked} />
      </section>
    );
  }
  const { candidate, choice } = current;
  const { credential } = candidate;
  const { status } = credential;
  // JWT VCs are signed as a whole: nothing in them can be withheld (SD-JWT marks its fixed claims one by one).
  const wholeCredential = credential.format !== 'dc+sd-jwt';
  const asked = candidate.claims.filter((claim) => claim.requested);
  const extra = candidate.claims.filter((claim) => !claim.requested);
  const sharedCount = candidate.claims.filter((claim) => isShared(claim, choice)).length;

  const toggle = (claim: ConsentClaimView, on: boolean) => {
    const key = claimKey(claim.path);
    const ticked = choice.ticked.filter((item) => item !== key);
    onChoice({ ...choice, ticked: on ? [...ticked, key] : ticked });
  };

  return (
    <section class="card stack" data-testid={`query-${query.queryId}`}>
      {multiple ? <p class="muted small query-id">Request “{query.queryId}”</p> : null}

      {query.candidates.length > 1 ? (
        <fieldset class="candidates">
          <legend>
            {query.candidates.length} of your credentials fit. Choose one:
          </legend>
          {query.candidates.map((item) => (
            <CandidateOption
              key={item.credential.id}
              queryId={query.queryId}
              candidate={item}
              checked={item.credential.id === credential.id}
              disabled={disabled}
              onSelect={() => onChoice(defaultChoice(item))}
            />
          ))}
        </fieldset>
      ) : null}

      <div>
        <h3 class="credential-heading">
          {credentialTypeLabel(credential)} <span class="muted small">{FORMAT_LABEL[credential.format]}</span>
        </h3>
        <dl class="fact-list">
          <Fact label="Issuer">
            <span class="issuer-line">
              {/* An unknown issuer is shown in full: its DID is all the user has to judge it by. */}
              <code title={credential.issuer}>
                {credential.issuerTrusted ? issuerName(credential) : credential.issuer}
              </code>
              <TrustBadge credential={credential} testId="issuer-trust" />
            </span>
          </Fact>
          <Fact label="Status">
            <StatusBadge status={status} testId="credential-status" />
            {status.checkedAt ? (
              <span class="muted small">
                {' '}
                checked <When iso={status.checkedAt} time />
              </span>
            ) : null}
          </Fact>
          {credential.validUntil ? (
            <Fact label="Valid until">
              <When iso={credential.validUntil} />
            </Fact>
          ) : null}
        </dl>
      </div>

      {status.state === 'unknown' ? (
        <p class="warning" data-testid="status-warning">
          The issuer could not be reached to confirm this credential is still valid.
          {status.reason ? ` (${status.reason})` : ''}
        </p>
      ) : null}
      {isInactive(status) ? (
        <p class="error" data-testid="status-warning">
          {statusMeaning(status.state)} The site will most likely refuse it.
        </p>
      ) : null}
      {!query.holderBinding ? (
        <p class="muted small">
          The site asked for the credential alone: it is sent without a proof that you hold it.
        </p>
      ) : null}

      <div>
        <div class="spread">
          <h3>Shared with the site</h3>
          <span class="muted small" data-testid={`shared-count-${query.queryId}`}>
            {sharedCount} of {candidate.claims.length}
          </span>
        </div>
        {wholeCredential ? (
          <p class="note small" data-testid="whole-credential-note">
            This format shares the whole credential: every claim below leaves, not only those asked for.
          </p>
        ) : null}
        {candidate.claims.length === 0 ? <p class="muted">This credential carries no claims.</p> : null}
        {asked.length > 0 ? (
          <ClaimList
            claims={asked}
            choice={choice}
            queryId={query.queryId}
            disabled={disabled}
            wholeCredential={wholeCredential}
            onToggle={toggle}
          />
        ) : null}
        {extra.length > 0 ? (
          <>
            <p class="muted small claims-subhead">
              {wholeCredential ? 'Also in the credential (not asked for):' : 'Not asked for; tick to share as well:'}
            </p>
            <ClaimList
              claims={extra}
              choice={choice}
              queryId={query.queryId}
              disabled={disabled}
              wholeCredential={wholeCredential}
              onToggle={toggle}
            />
          </>
        ) : null}
      </div>
    </section>
  );
}

function CandidateOption({
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

function ClaimList({
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
