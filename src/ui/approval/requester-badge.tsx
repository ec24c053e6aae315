/**
 * Who asks for data access, as far as the wallet could check it (DESIGN §8): a
 * verified requester with the facts its accreditation states (institution, study,
 * ethics approval, approved data uses, data categories, accreditation body, until
 * when), or "Unverified" with the reason first, in words a user can act on.
 */
import type { ComponentChildren } from 'preact';
import type { PurposeView, RequesterView, VerifiedRequesterView } from '../../protocol/internal.ts';
import { formatUtcDay } from '../components/format.ts';
import { dataUseWords } from '../components/research-words.ts';

function Row({ label, children, testId }: { label: string; children: ComponentChildren; testId?: string }) {
  return (
    <div class="fact" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The study's approved data uses: the window's label for a term where it has one, and always the term. */
function DataUses({ requester, purposes }: { requester: VerifiedRequesterView; purposes: PurposeView[] }) {
  if (requester.dataUses.length === 0) return <span class="muted">None stated</span>;
  return (
    <ul class="data-uses">
      {dataUseWords(requester.dataUses, purposes).map((use) => (
        <li key={use.term}>
          {use.label ? <>{use.label} </> : null}
          <code class={use.label ? 'muted small' : undefined}>{use.term}</code>
        </li>
      ))}
    </ul>
  );
}

function Verified({ requester, purposes }: { requester: VerifiedRequesterView; purposes: PurposeView[] }) {
  return (
    <section class="note requester requester-verified" data-testid="requester-verified" aria-labelledby="requester-heading">
      <p id="requester-heading">
        <span class="pill pill-ok">✓ Verified requester</span> <strong data-testid="requester-name">{requester.name}</strong>
      </p>
      <dl class="fact-list">
        {requester.study || requester.studyId ? (
          <Row label="Study" testId="requester-study">
            {requester.study ?? requester.studyId}
            {requester.study && requester.studyId ? <span class="muted small"> ({requester.studyId})</span> : null}
          </Row>
        ) : null}
        {requester.ethicsApproval ? (
          <Row label="Ethics approval" testId="requester-ethics">
            {requester.ethicsApproval}
          </Row>
        ) : null}
        <Row label="Approved data uses" testId="requester-data-uses">
          <DataUses requester={requester} purposes={purposes} />
        </Row>
        <Row label="Data categories" testId="requester-data-categories">
          {requester.dataCategories.length > 0 ? requester.dataCategories.join(', ') : <span class="muted">None stated</span>}
        </Row>
        {requester.affiliationAndRole || requester.researcherStatus ? (
          <Row label="Researcher">
            {[requester.affiliationAndRole, requester.researcherStatus].filter(Boolean).join(' · ')}
          </Row>
        ) : null}
        <Row label="Accredited by" testId="requester-accreditor">
          <strong>{requester.accreditor}</strong>{' '}
          <code class="small" title={requester.accreditorDid}>
            {requester.accreditorDid}
          </code>
        </Row>
        <Row label="Valid until" testId="requester-valid-until">
          {requester.validUntil ? formatUtcDay(requester.validUntil) : <span class="muted">Not stated</span>}
        </Row>
        <Row label="Requester DID">
          <code class="small">{requester.did}</code>
        </Row>
      </dl>
    </section>
  );
}

export function RequesterBadge({ requester, purposes }: { requester: RequesterView; purposes: PurposeView[] }) {
  if (requester.verified) return <Verified requester={requester} purposes={purposes} />;
  return (
    <section class="warning requester requester-unverified" data-testid="requester-unverified" aria-labelledby="requester-heading">
      <p id="requester-heading">
        <span class="pill pill-warn">⚠ Unverified requester</span>
      </p>
      <p class="requester-reason" data-testid="requester-reason">
        <strong>{requester.reason}</strong>
      </p>
      <p class="small">
        Tessera could not check who runs this site or what it is accredited for.
        {requester.did ? (
          <>
            {' '}
            It names itself <code class="small">{requester.did}</code>, which proves nothing about who it is.
          </>
        ) : null}{' '}
        Data in a sensitive category, such as health, is never shared with an unverified requester.
      </p>
    </section>
  );
}
