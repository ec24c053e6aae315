/**
 * One query of a consent request: the credential that answers it (a choice when
 * several could), its issuer and status, and every claim that would leave. A query
 * whose every credential the wallet refuses to this requester shows them greyed with
 * the reason; a minimised one says the wallet chose the less identifying option.
 */
import type { ConsentCandidateView, ConsentClaimView, ConsentQueryView } from '../../protocol/internal.ts';
import {
  FORMAT_LABEL,
  Fact,
  StatusBadge,
  TrustBadge,
  When,
  claimKey,
  credentialTypeLabel,
  isInactive,
  issuerName,
  statusMeaning,
} from '../components/credential.tsx';
import { type QueryChoice, defaultChoice, isShared, orderedCandidates, refusalOf } from './consent-choice.ts';
import { CandidateOption, ClaimList, UnknownStatusAck } from './consent-parts.tsx';
import type { ConsentSelection } from './consent-selection.ts';

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

export function QueryCard({
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
  const refusal = refusalOf(query);
  if (!current && refusal !== null) {
    return (
      <section class="card stack" data-testid={`query-${query.queryId}`}>
        {multiple ? <p class="muted small query-id">Request “{query.queryId}”</p> : null}
        <p class="error" data-testid={`refused-${query.queryId}`}>
          Tessera will not share this part of the request with this requester: {refusal}
        </p>
        <div class="candidates">
          {query.candidates.map((item) => (
            <CandidateOption key={item.credential.id} queryId={query.queryId} candidate={item} checked={false} disabled onSelect={() => undefined} />
          ))}
        </div>
        <AskedFor asked={query.asked} />
      </section>
    );
  }
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

  const claimList = (claims: ConsentClaimView[]) => (
    <ClaimList
      claims={claims}
      choice={choice}
      queryId={query.queryId}
      disabled={disabled}
      wholeCredential={wholeCredential}
      onToggle={toggle}
      display={credential.display}
    />
  );

  return (
    <section class="card stack" data-testid={`query-${query.queryId}`}>
      {multiple ? <p class="muted small query-id">Request “{query.queryId}”</p> : null}

      {query.candidates.length > 1 ? (
        <fieldset class="candidates">
          <legend>
            {query.candidates.length} of your credentials fit. Choose one (trusted issuers first):
          </legend>
          {orderedCandidates(query).map((item) => (
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
        {query.minimised ? (
          <p class="note small" data-testid={`minimised-${query.queryId}`}>
            The site accepts other claims for this; Tessera chose the less identifying option it accepts.
          </p>
        ) : null}
        {wholeCredential ? (
          <p class="note small" data-testid="whole-credential-note">
            This format shares the whole credential: every claim below leaves, not only those asked for.
          </p>
        ) : null}
        {candidate.claims.length === 0 ? <p class="muted">This credential carries no claims.</p> : null}
        {asked.length > 0 ? claimList(asked) : null}
        {extra.length > 0 ? (
          <>
            <p class="muted small claims-subhead">
              {wholeCredential ? 'Also in the credential (not asked for):' : 'Not asked for; tick to share as well:'}
            </p>
            {claimList(extra)}
          </>
        ) : null}
      </div>
    </section>
  );
}

/** Every query of a request with its card, and the unknown-status acknowledgement when one is needed. */
export function QueryCards({ consent, busy }: { consent: ConsentSelection; busy: boolean }) {
  const { resolved, unknownStatus, acceptUnknown } = consent;
  return (
    <>
      {resolved.map(({ query, current }) => (
        <QueryCard
          key={query.queryId}
          query={query}
          current={current}
          multiple={resolved.length > 1}
          disabled={busy}
          onChoice={(choice) => consent.setChoice(query.queryId, choice)}
        />
      ))}
      {unknownStatus ? <UnknownStatusAck checked={acceptUnknown} disabled={busy} onChange={consent.setAcceptUnknown} /> : null}
    </>
  );
}
