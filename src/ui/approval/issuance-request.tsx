/**
 * An OpenID4VCI credential offer: who issues (the issuer's name and logo from its
 * metadata when the wallet fetched it before the decision, its URL otherwise), what
 * it offers, and the transaction code field when the issuer sent the user one. On
 * approve the wallet runs the exchange; a wrong code leaves the window open with the
 * issuer's answer.
 */
import { useState } from 'preact/hooks';
import type { IssuanceApprovalView } from '../../protocol/internal.ts';
import { formatDateTime } from '../components/format.ts';
import { OriginBadge, isInsecureOrigin } from '../components/origin-badge.tsx';
import { ErrorText } from '../components/page.tsx';
import { DecisionButtons, ORIGIN_ID, TITLE_ID, useDecision } from './decision.tsx';
import { InsecureWarning } from './identity-request.tsx';

const VIA_LEAD: Record<IssuanceApprovalView['via'], string> = {
  dashboard: 'You opened a credential offer from this issuer',
  link: 'A link on this site opened a credential offer',
  site: 'This site offers you credentials from an issuer',
};

export function IssuanceRequest({
  approval,
  lookupError,
  onFinished,
}: {
  approval: IssuanceApprovalView;
  lookupError: string | null;
  onFinished: () => void;
}) {
  const decision = useDecision(approval.id, onFinished);
  const [txCode, setTxCode] = useState('');
  const asked = approval.txCode;
  const codeShown = asked !== null || approval.txCodeMayBeAsked;
  const codeMissing = asked !== null && txCode.trim().length === 0;
  const approve = () => void decision.decide('approve', codeShown && txCode.trim() ? { queries: {}, txCode: txCode.trim() } : undefined);

  return (
    <div class="stack">
      <h1 class="approval-title" id={TITLE_ID}>Credential offer</h1>
      <OriginBadge origin={approval.origin} large testId="approval-origin" id={ORIGIN_ID} />
      <p class="approval-lead">{VIA_LEAD[approval.via]}</p>
      {isInsecureOrigin(approval.origin) ? <InsecureWarning /> : null}

      <section class="card stack">
        <h3>Issuer</h3>
        <div class="issuer-line">
          {approval.issuerLogo ? (
            <img data-testid="issuer-logo" src={approval.issuerLogo.dataUri} alt={approval.issuerLogo.alt ?? ''} width={40} height={40} />
          ) : null}
          {approval.issuerName ? <strong data-testid="issuer-name">{approval.issuerName}</strong> : null}
        </div>
        {approval.issuer ? (
          <code data-testid="issuer-url" title={approval.issuer}>
            {approval.issuer}
          </code>
        ) : (
          <p class="muted small" data-testid="offer-uri">
            The offer is at <code>{approval.offerUri}</code>; Tessera fetches it, and learns the issuer, only if you accept.
          </p>
        )}
        {approval.via === 'site' && !approval.issuerName ? (
          <p class="muted small">Tessera contacts the issuer only if you accept, so its name is not shown yet.</p>
        ) : null}
      </section>

      {approval.configurations.length > 0 ? (
        <section class="card">
          <h3>Offered credentials</h3>
          <ul data-testid="offered-credentials">
            {approval.configurations.map((c) => (
              <li key={c.id} data-testid={`offered-${c.id}`} title={c.id}>
                {c.name}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {codeShown ? (
        <section class="card stack">
          <label for="tx-code">
            <h3>Transaction code</h3>
          </label>
          <p class="muted small">
            {asked?.description ?? (asked ? 'The issuer sent you a code; type it here.' : 'If the issuer sent you a code, type it here.')}
            {asked?.length ? ` (${asked.length} ${asked.inputMode === 'numeric' ? 'digits' : 'characters'})` : ''}
          </p>
          <input
            id="tx-code"
            data-testid="tx-code"
            type="text"
            inputMode={asked?.inputMode === "text" ? "text" : "numeric"}
            autocomplete="one-time-code"
            maxLength={asked?.length ?? 64}
            value={txCode}
            onInput={(e) => setTxCode((e.target as HTMLInputElement).value)}
          />
        </section>
      ) : null}

      {approval.flow === 'authorization-code' ? (
        <p class="muted small">Accepting opens the issuer's sign-in page in a new tab.</p>
      ) : null}

      <ErrorText message={decision.error ?? lookupError} testId="approval-error" />
      <DecisionButtons
        decision={decision}
        approveLabel="Receive credentials"
        approvingLabel="Receiving…"
        rejectLabel="Decline"
        approveDisabled={codeMissing}
        approveTitle={codeMissing ? 'Type the transaction code first' : undefined}
        onApprove={approve}
      />
      <p class="muted small">Offered {formatDateTime(approval.createdAt)}</p>
    </div>
  );
}
