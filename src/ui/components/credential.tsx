/**
 * How a credential reads on every page: its type, its issuer with a trust badge, its
 * status, its validity and its claims. The approval window and the dashboard share
 * these, so an issuer or a claim looks the same wherever the user meets it.
 */
import type { ComponentChildren } from 'preact';
import type { CredentialStatusView, CredentialView } from '../../protocol/internal.ts';
import type { CredentialDisplayView } from '../../protocol/holder-views.ts';
import { browserLanguages, claimLabelFor, rawClaimPath } from './claim-labels.ts';
import { formatDate, formatDateTime, shortDid } from './format.ts';
import { ClaimValue, isPrimitive } from './claim-value.tsx';

export type ClaimPath = (string | number)[];

/** The stable key of a claim (test ids, React keys, selection): the path joined by dots. */
export function claimKey(path: ClaimPath): string {
  return path.map(String).join('.');
}

/**
 * The name a user reads: `["credentialSubject","given_name"]` → `given_name`,
 * `["address","locality"]` → `address.locality`, `["nationalities",0]` → `nationalities[0]`.
 */
export function claimLabel(path: ClaimPath): string {
  const shown = path.length > 1 && path[0] === 'credentialSubject' ? path.slice(1) : path;
  return shown.reduce<string>((label, part) => {
    if (typeof part === 'number') return `${label}[${part}]`;
    return label === '' ? part : `${label}.${part}`;
  }, '');
}

/**
 * A claim's name: the issuer's label (in the reader's language) with the raw path on
 * hover, or the raw path itself where the issuer published no label.
 */
export function ClaimName({ path, display }: { path: ClaimPath; display?: Pick<CredentialDisplayView, 'claims'> | undefined }) {
  const shown = claimLabelFor(display, path, browserLanguages());
  if (!shown) return <span title={rawClaimPath(path)}>{claimLabel(path)}</span>;
  return (
    <span title={`${rawClaimPath(path)}${shown.description ? ` — ${shown.description}` : ''}`} data-raw-path={rawClaimPath(path)}>
      {shown.label}
    </span>
  );
}

/** The claim's name as plain text (summaries, lists joined by commas). */
export function claimNameText(path: ClaimPath, display?: Pick<CredentialDisplayView, 'claims'>): string {
  return claimLabelFor(display, path, browserLanguages())?.label ?? claimLabel(path);
}

/** The last type that says something (not `VerifiableCredential`), else the SD-JWT `vct`. */
export function credentialTypeLabel(credential: Pick<CredentialView, 'types' | 'vct'>): string {
  const specific = credential.types.filter((type) => type !== 'VerifiableCredential');
  return specific.at(-1) ?? credential.vct ?? credential.types.at(-1) ?? 'Credential';
}

/** Every type worth listing: W3C types without the generic one, and the vct if not already there. */
export function credentialTypes(credential: Pick<CredentialView, 'types' | 'vct'>): string[] {
  const types = credential.types.filter((type) => type !== 'VerifiableCredential');
  if (credential.vct && !types.includes(credential.vct)) types.push(credential.vct);
  return types.length > 0 ? types : credential.types;
}

export const FORMAT_LABEL: Record<CredentialView['format'], string> = {
  jwt_vc_json: 'JWT VC',
  'vc+jwt': 'VC (JOSE)',
  'dc+sd-jwt': 'SD-JWT VC',
};

/** The issuer as a name: the trust list's label if trusted, else the DID, shortened. */
export function issuerName(credential: Pick<CredentialView, 'issuer' | 'issuerTrusted' | 'issuerLabel'>): string {
  return credential.issuerTrusted && credential.issuerLabel ? credential.issuerLabel : shortDid(credential.issuer);
}

/** "Trusted · <label>" or a warning "Unknown issuer"; tests read the text. */
export function TrustBadge({
  credential,
  testId,
}: {
  credential: Pick<CredentialView, 'issuerTrusted' | 'issuerLabel'>;
  testId?: string;
}) {
  if (credential.issuerTrusted) {
    return (
      <span class="pill pill-ok" data-testid={testId} title="This issuer is on your list of trusted issuers">
        ✓ Trusted{credential.issuerLabel ? ` · ${credential.issuerLabel}` : ''}
      </span>
    );
  }
  return (
    <span
      class="pill pill-warn"
      data-testid={testId}
      title="This issuer is not on your list of trusted issuers. Anyone can sign a credential."
    >
      ⚠ Unknown issuer
    </span>
  );
}

const STATUS_CLASS: Record<CredentialStatusView['state'], string> = {
  valid: 'pill pill-ok',
  revoked: 'pill pill-danger',
  suspended: 'pill pill-danger',
  expired: 'pill pill-muted',
  unknown: 'pill pill-warn',
};

const STATUS_MEANING: Record<CredentialStatusView['state'], string> = {
  valid: 'The issuer confirms this credential is valid.',
  revoked: 'The issuer has revoked this credential.',
  suspended: 'The issuer has suspended this credential.',
  expired: 'This credential has expired.',
  unknown: 'The issuer could not be reached to confirm this credential is still valid.',
};

/** The status badge: its text is exactly the state (tests read it); the meaning is in the title. */
export function StatusBadge({ status, testId }: { status: CredentialStatusView; testId?: string }) {
  const checked = status.checkedAt ? ` Last checked ${formatDateTime(status.checkedAt)}.` : '';
  const reason = status.reason ? ` ${status.reason}.` : '';
  return (
    <span class={STATUS_CLASS[status.state]} data-testid={testId} title={`${STATUS_MEANING[status.state]}${reason}${checked}`}>
      {status.state}
    </span>
  );
}

export function statusMeaning(state: CredentialStatusView['state']): string {
  return STATUS_MEANING[state];
}

/** Revoked, suspended or expired: the credential is kept but no longer useful. */
export function isInactive(status: CredentialStatusView): boolean {
  return status.state === 'revoked' || status.state === 'suspended' || status.state === 'expired';
}

/** A date a user reads, with the exact time on hover; "—" when absent. */
export function When({ iso, time = false }: { iso: string | null; time?: boolean }) {
  if (!iso) return <span class="muted">—</span>;
  return <time dateTime={iso} title={formatDateTime(iso)}>{time ? formatDateTime(iso) : formatDate(iso)}</time>;
}

/** One label/value line of a fact list (issuer, validity, holder…). */
export function Fact({ label, children, testId }: { label: string; children: ComponentChildren; testId?: string }) {
  return (
    <div class="fact" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Issued / valid from / valid until, leaving out what the credential does not say. */
export function ValidityFacts({ credential }: { credential: Pick<CredentialView, 'issuedAt' | 'validFrom' | 'validUntil'> }) {
  const sameStart = credential.validFrom !== null && credential.validFrom === credential.issuedAt;
  return (
    <>
      {credential.issuedAt ? (
        <Fact label="Issued">
          <When iso={credential.issuedAt} />
        </Fact>
      ) : null}
      {credential.validFrom && !sameStart ? (
        <Fact label="Valid from">
          <When iso={credential.validFrom} />
        </Fact>
      ) : null}
      <Fact label="Valid until">
        {credential.validUntil ? <When iso={credential.validUntil} /> : <span class="muted">No expiry date</span>}
      </Fact>
    </>
  );
}

/** Common identity claims first, so a card's two or three lines say who the credential is about. */
const KEY_CLAIMS = [
  'given_name',
  'family_name',
  'name',
  'birthdate',
  'birth_date',
  'date_of_birth',
  'age_over_18',
  'email',
  'nationality',
  'nationalities',
  'resident_city',
  'resident_country',
];

/** Up to `count` claims that best summarise a credential (never the subject's own DID). */
export function keyClaims(credential: Pick<CredentialView, 'claims'>, count = 3): CredentialView['claims'] {
  const candidates = credential.claims.filter((claim) => {
    const label = claimLabel(claim.path);
    return label !== 'id' && label !== '' && (isPrimitive(claim.value) || Array.isArray(claim.value));
  });
  const rank = (claim: CredentialView['claims'][number]) => {
    const index = KEY_CLAIMS.indexOf(claimLabel(claim.path));
    return index === -1 ? KEY_CLAIMS.length : index;
  };
  // Stable: equally ranked claims keep the credential's own order.
  return candidates
    .map((claim, index) => ({ claim, index }))
    .sort((a, b) => rank(a.claim) - rank(b.claim) || a.index - b.index)
    .slice(0, count)
    .map(({ claim }) => claim);
}

/** Where a credential came from: a site's origin, or the user's own import. */
export function receivedFromText(receivedFrom: string | null): string | null {
  if (receivedFrom === null) return null;
  return receivedFrom === 'import' ? 'Imported by you' : receivedFrom;
}

/**
 * Every claim of a credential as name/value rows; `testIdPrefix` names each row
 * `<prefix><path joined by .>`. `markSelective` flags claims the holder may withhold.
 */
export function ClaimList({
  claims,
  testIdPrefix,
  markSelective = false,
  display,
}: {
  claims: { path: ClaimPath; value: unknown; disclosable: boolean }[];
  testIdPrefix: string;
  markSelective?: boolean;
  /** The issuer's display metadata: claim labels. */
  display?: CredentialDisplayView | undefined;
}) {
  if (claims.length === 0) return <p class="muted">This credential carries no claims.</p>;
  return (
    <ul class="claims">
      {claims.map((claim) => (
        <li key={claimKey(claim.path)} class="claim-row" data-testid={`${testIdPrefix}${claimKey(claim.path)}`}>
          <span class="claim-name">
            <ClaimName path={claim.path} display={display} />
            {markSelective && claim.disclosable ? (
              <span class="pill pill-small" title="You can withhold this claim when sharing the credential">
                selective
              </span>
            ) : null}
          </span>
          <span class="claim-value">
            <ClaimValue value={claim.value} />
          </span>
        </li>
      ))}
    </ul>
  );
}
