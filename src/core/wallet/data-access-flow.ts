import type { DcqlQuery } from 'dcql';
import type { AccessDataParams, DataAccessResult, RequestDataAccessParams } from '../../protocol/rpc.ts';
import { hashJson } from '../encoding.ts';
import { DomainError } from '../errors.ts';
import { createConsentReceipt } from '../grants/consent-receipt.ts';
import { grantStatus, toSiteGrantView, usesLeft, type GrantedCredential, type GrantRecord } from '../grants/grant-record.ts';
import { grantedLabels } from '../grants/granted-labels.ts';
import { grantLock } from '../grants/grant-service.ts';
import type { PurposeTerm } from '../grants/purposes.ts';
import { grantIdsOf, pairwiseLock } from '../identity/pairwise.ts';
import { createVpToken, type PresentationChoice } from '../presentation/vp-token.ts';
import { approvalHeader, type ApprovalKindHandler } from './approval-kinds.ts';
import { chooseCredentials, consentQueries, matchHeld, matchWithFreshStatus, presentOrAsk, releasedPaths } from './presentation-choices.ts';
import type { UnlockedWallet } from './wallet-session.ts';
import type { CredentialContext } from './flow-context.ts';
import {
  checkedPurposes,
  checkRequest,
  consentedPurposes,
  guardianOfRecords,
  matchOptions,
  requestedClaimPaths,
  requesterChecked,
  type DataAccessRequest,
} from './data-access-request.ts';
import type { GuardianView } from '../../protocol/internal.ts';
import { guardianEnded, guardianTermEnd } from '../research/guardian.ts';
import { checkRequester, type RequesterCheck } from '../research/requester-check.ts';
import {
  accreditationWarnings,
  blockedReason,
  grantRequester,
  purposeViews,
  requesterCheckDeps,
  requesterView,
  researchQueries,
  type ResearchConsent,
} from './research-consent.ts';

const DAY_MS = 86_400_000;

const noGrant = () => new DomainError('unauthorized', 'No active grant for this request.');

/**
 * Data-access grants (DESIGN.md §3.2): a site asks for ongoing access to named data for
 * stated purposes and a term; on approval it gets the data, a consent receipt, and a
 * grant under which it later reads fresh presentations of exactly what was approved,
 * without a prompt, until the grant is revoked, expires or runs out.
 */
export class DataAccessFlow {
  /** Checks made on first view for approvals that arrived while the wallet was locked. */
  private readonly lateChecks = new Map<string, Promise<RequesterCheck>>();

  constructor(private readonly ctx: CredentialContext) {}

  async request(origin: string, requestId: string, params: RequestDataAccessParams): Promise<DataAccessResult> {
    const request = checkRequest(params);
    const requestHash = await hashJson({ method: 'wallet_requestDataAccess', origin, params });
    if (request.requesterVp !== null) {
      // The pending check comes first: a second request waits for nothing and costs no check.
      if (await this.ctx.desk.queue.hasPending(origin, 'data-access')) {
        throw new DomainError('pending', 'A data-access request from this origin is already pending; wait for it to finish.');
      }
      const wallet = await this.ctx.session.current();
      if (wallet) request.requester = await this.checkRequester(wallet, origin, request);
    }
    return (await this.ctx.desk.ask(requestId, { kind: 'data-access', origin, requestId, requestHash, request })) as DataAccessResult;
  }

  readonly approvalKind: ApprovalKindHandler<'data-access'> = {
    kind: 'data-access',
    view: async (wallet, approval) => {
      const request = approval.request as DataAccessRequest;
      const consent = await this.researchConsent(wallet, approval.id, approval.origin, request);
      const match = await matchHeld(wallet, request.dcqlQuery, this.ctx.ports.now(), matchOptions(consent));
      const records = new Map(match.queries.flatMap((q) => q.candidates).map((record) => [record.id, record]));
      const queries = researchQueries(consent, await consentQueries(wallet, request.dcqlQuery, match)).map((query) => ({
        ...query,
        candidates: query.candidates.map((candidate) => ({ ...candidate, guardian: guardianOfRecords([records.get(candidate.credential.id)]) })),
      }));
      const guardian = guardianOfRecords(match.queries.map((q) => q.candidates[0]));
      const termEnd = new Date(this.ctx.ports.now() + request.durationDays * DAY_MS).toISOString();
      return {
        show: {
          ...approvalHeader(approval),
          requester: requesterView(consent),
          purposes: purposeViews(consent),
          durationDays: request.durationDays,
          expiresAt: guardianTermEnd(termEnd, guardian) ?? termEnd,
          termEndsAt: termEnd,
          usageLimit: request.usageLimit,
          retentionDays: request.retentionDays,
          queries,
          warnings: accreditationWarnings(consent, queries),
          guardian,
        },
      };
    },
    approve: async (wallet, approval, selection) => {
      const request = approval.request as DataAccessRequest;
      const consent = await this.researchConsent(wallet, approval.id, approval.origin, request);
      const purposes = consentedPurposes(consent.purposes, selection?.separatePurposes ?? []);
      const match = await matchWithFreshStatus(wallet, this.ctx.status, request.dcqlQuery, this.ctx.ports.now(), matchOptions(consent));
      const choices = chooseCredentials(match, selection);
      for (const choice of choices) {
        const blocked = blockedReason(consent, choice.record);
        if (blocked) throw new DomainError('invalid_input', blocked);
      }
      const guardian = guardianOfRecords(choices.map((c) => c.record));
      const ended = guardianEnded(guardian, this.ctx.ports.now());
      if (ended) throw new DomainError('invalid_input', ended);
      return this.grant(wallet, approval.origin, approval.requestHash, request, purposes, choices, consent, guardian);
    },
    rejected: async (_wallet, approval) => {
      const request = approval.request as DataAccessRequest;
      this.lateChecks.delete(approval.id);
      if (request.requesterVp === null) return;
      const check = request.requester ?? (await this.lateChecks.get(approval.id));
      if (check) await this.ctx.commit.run(async (unit) => unit.emit(requesterChecked(approval.origin, check)));
    },
  };

  /** What the research side of the consent needs: the requester as checked, the category policy, the purposes. */
  private async researchConsent(wallet: UnlockedWallet, approvalId: string, origin: string, request: DataAccessRequest): Promise<ResearchConsent> {
    let check: RequesterCheck | null = request.requester ?? null;
    if (!check && request.requesterVp !== null) {
      let late = this.lateChecks.get(approvalId);
      if (!late) this.lateChecks.set(approvalId, (late = this.checkRequester(wallet, origin, request)));
      check = await late;
    }
    return { origin, check, policy: await wallet.research.policy(), purposes: checkedPurposes(request.purposes) };
  }

  private checkRequester(wallet: UnlockedWallet, origin: string, request: DataAccessRequest): Promise<RequesterCheck> {
    return checkRequester(
      request.requesterVp!,
      { origin, nonce: request.nonce, purposes: request.purposes, claimPaths: requestedClaimPaths(request.dcqlQuery) },
      requesterCheckDeps(this.ctx, wallet),
    );
  }

  /** The site reads under its grant: fresh presentations of exactly the approved credentials and claims. */
  async access(origin: string, params: AccessDataParams): Promise<{ vp_token: Record<string, string[]> }> {
    const wallet = await this.ctx.session.current();
    if (!wallet) throw new DomainError('locked', 'The wallet is locked; ask the user to unlock it and retry.');
    const grant = await this.usableGrant(wallet, origin, params.grantId);
    // Status first, outside the grant's lock (a slow status list must not hold up a revocation).
    const records = await Promise.all(grant.access!.credentials.map((c) => this.currentCredential(wallet, c)));
    return this.ctx.commit.run(
      async (unit) => {
        const fresh = await this.usableGrant(wallet, origin, params.grantId);
        const choices: PresentationChoice[] = fresh.access!.credentials.map((c, i) => ({ queryId: c.queryId, record: records[i]!, disclose: c.disclose }));
        const vpToken = await this.present(wallet, origin, params.nonce, fresh.access!.dcqlQuery as DcqlQuery, choices);
        unit.write(await wallet.grants.accessOp(fresh, await hashJson(vpToken)));
        unit.emit({ type: 'grant.accessed', grantId: fresh.id, origin });
        return { vp_token: vpToken };
      },
      { lock: [grantLock(params.grantId)] },
    );
  }

  /** The grant expiry job: grants whose term passed get their `expired` event, and their site hears `grantExpired`. */
  async expireDue(): Promise<number> {
    const wallet = await this.ctx.session.current();
    if (!wallet) return 0;
    let expired = 0;
    for (const due of await wallet.grants.dueForExpiry()) {
      const changed = await this.ctx.commit.run(
        async (unit) => {
          const fresh = await wallet.grants.get(due.id);
          const change = fresh ? await wallet.grants.expiry(fresh) : null;
          if (!change) return false;
          unit.write(change.op);
          unit.emit({ type: 'grant.expired', grantId: due.id, origin: due.requester.origin });
          return true;
        },
        { lock: [grantLock(due.id)] },
      );
      if (changed) expired++;
    }
    return expired;
  }

  /** The approved grant: presentations for the request's nonce, the grant with its receipt, in one transaction. */
  private grant(
    wallet: UnlockedWallet,
    origin: string,
    requestHash: string,
    request: DataAccessRequest,
    purposes: PurposeTerm[],
    choices: PresentationChoice[],
    consent: ResearchConsent,
    guardian: GuardianView | null,
  ): Promise<DataAccessResult> {
    return this.ctx.commit.run(
      async (unit) => {
        const site = await wallet.pairwise.findOrPrepare(origin);
        const vpToken = await this.present(wallet, origin, request.nonce, request.dcqlQuery, choices);
        const credentials: GrantedCredential[] = choices.map((choice) => ({
          queryId: choice.queryId,
          credentialId: choice.record.id,
          format: choice.record.format,
          types: choice.record.types,
          claimPaths: releasedPaths(choice),
          disclose: [...(choice.disclose ?? [])].map((p) => [...p]),
          ...grantedLabels(choice.record, releasedPaths(choice)),
        }));
        const draft = wallet.grants.newDataGrant({
          origin,
          did: site.did,
          purposes: purposes.map((p) => p.term),
          durationDays: request.durationDays,
          usageLimit: request.usageLimit,
          access: { dcqlQuery: request.dcqlQuery, credentials, usageCount: 0, retentionDays: request.retentionDays },
          requestHash,
          presentationHash: await hashJson(vpToken),
        });
        // Who asked, as checked; as guardian, the grant ends when the child comes of age (§8).
        const scoped: GrantRecord = {
          ...draft,
          requester: grantRequester(consent),
          holder: guardian ? { ...draft.holder, role: guardian.role, comesOfAgeAt: guardian.comesOfAgeAt } : draft.holder,
          expiresAt: guardianTermEnd(draft.expiresAt, guardian),
        };
        const receipt = await createConsentReceipt(await wallet.pairwise.signer(site), scoped);
        const grant: GrantRecord = { ...scoped, receipt };
        unit.write(await wallet.grants.putOp(grant), await wallet.pairwise.saveOp({ ...site, grantIds: [...grantIdsOf(site), grant.id] }));
        unit.emit(
          { type: 'grant.given', grantId: grant.id, origin, kind: 'data', receipt, purposes: grant.purposes },
          { type: 'credential.presented', origin, credentials: credentials.map((c) => ({ id: c.credentialId, types: c.types, claimPaths: c.claimPaths })) },
          ...(consent.check ? [requesterChecked(origin, consent.check)] : []),
        );
        return { grant: toSiteGrantView(grant, this.ctx.ports.now()), receipt, vp_token: vpToken };
      },
      { lock: [pairwiseLock(origin)] },
    );
  }

  private async present(wallet: UnlockedWallet, origin: string, nonce: string, dcqlQuery: DcqlQuery, choices: PresentationChoice[]) {
    return presentOrAsk(() =>
      createVpToken({
        request: { origin, nonce, dcqlQuery },
        choices,
        signerFor: (binding) => wallet.pairwise.signerFor(binding.keyRef, binding.kid),
        now: this.ctx.ports.now(),
      }),
    );
  }

  /** The caller's own active data grant with uses left; anything else is the same 4100 as an unknown id. */
  private async usableGrant(wallet: UnlockedWallet, origin: string, grantId: string): Promise<GrantRecord> {
    const grant = await wallet.grants.get(grantId);
    if (!grant || grant.requester.origin !== origin || grant.kind !== 'data' || !grant.access) throw noGrant();
    if (grantStatus(grant, this.ctx.ports.now()) !== 'active' || usesLeft(grant) === 0) throw noGrant();
    return grant;
  }

  /** The held credential behind a grant, its status checked now; gone, revoked, suspended or expired ends access. */
  private async currentCredential(wallet: UnlockedWallet, granted: GrantedCredential) {
    const record = await wallet.credentials.get(granted.credentialId);
    if (!record) throw noGrant();
    const checked = await this.ctx.status.refresh(wallet, record, true);
    const state = checked.statusResult.state;
    if (state === 'revoked' || state === 'suspended' || state === 'expired') throw noGrant();
    return checked;
  }
}
