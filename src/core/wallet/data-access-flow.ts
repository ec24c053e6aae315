import type { DcqlQuery } from 'dcql';
import type { AccessDataParams, DataAccessResult, RequestDataAccessParams } from '../../protocol/rpc.ts';
import { hashJson } from '../encoding.ts';
import { DomainError } from '../errors.ts';
import { createConsentReceipt } from '../grants/consent-receipt.ts';
import { grantStatus, toSiteGrantView, usesLeft, type GrantedCredential, type GrantRecord } from '../grants/grant-record.ts';
import { grantLock } from '../grants/grant-service.ts';
import { parsePurposes, type PurposeTerm } from '../grants/purposes.ts';
import { grantIdsOf, pairwiseLock } from '../identity/pairwise.ts';
import { parseDcqlQuery } from '../presentation/dcql-query.ts';
import { ProtocolError } from '../presentation/errors.ts';
import { createVpToken, type PresentationChoice } from '../presentation/vp-token.ts';
import { approvalHeader, type ApprovalKindHandler } from './approval-kinds.ts';
import { chooseCredentials, consentQueries, matchHeld, matchWithFreshStatus, presentOrAsk, releasedPaths } from './presentation-choices.ts';
import type { UnlockedWallet } from './wallet-session.ts';
import type { CredentialContext } from './flow-context.ts';

const DAY_MS = 86_400_000;

/** A checked data-access request, as kept with its approval. */
export interface DataAccessRequest {
  purposes: string[];
  dcqlQuery: DcqlQuery;
  nonce: string;
  durationDays: number;
  usageLimit: number | null;
  retentionDays: number | null;
}

const noGrant = () => new DomainError('unauthorized', 'No active grant for this request.');

/**
 * Data-access grants (DESIGN.md §3.2): a site asks for ongoing access to named data for
 * stated purposes and a term; on approval it gets the data, a consent receipt, and a
 * grant under which it later reads fresh presentations of exactly what was approved,
 * without a prompt, until the grant is revoked, expires or runs out.
 */
export class DataAccessFlow {
  constructor(private readonly ctx: CredentialContext) {}

  async request(origin: string, requestId: string, params: RequestDataAccessParams): Promise<DataAccessResult> {
    const request = checkRequest(params);
    const requestHash = await hashJson({ method: 'wallet_requestDataAccess', origin, params });
    return (await this.ctx.desk.ask(requestId, { kind: 'data-access', origin, requestId, requestHash, request })) as DataAccessResult;
  }

  readonly approvalKind: ApprovalKindHandler<'data-access'> = {
    kind: 'data-access',
    view: async (wallet, approval) => {
      const request = approval.request as DataAccessRequest;
      const match = await matchHeld(wallet, request.dcqlQuery, this.ctx.ports.now());
      const purposes = checkedPurposes(request.purposes);
      return {
        show: {
          ...approvalHeader(approval),
          requester: { verified: false, origin: approval.origin, reason: 'The site did not prove who it is (no accreditation).' },
          purposes: purposes.map(({ term, label, description, separate }) => ({ term, label, description, separate })),
          durationDays: request.durationDays,
          expiresAt: new Date(this.ctx.ports.now() + request.durationDays * DAY_MS).toISOString(),
          usageLimit: request.usageLimit,
          retentionDays: request.retentionDays,
          queries: await consentQueries(wallet, request.dcqlQuery, match),
        },
      };
    },
    approve: async (wallet, approval, selection) => {
      const request = approval.request as DataAccessRequest;
      const purposes = consentedPurposes(checkedPurposes(request.purposes), selection?.separatePurposes ?? []);
      const match = await matchWithFreshStatus(wallet, this.ctx.status, request.dcqlQuery, this.ctx.ports.now());
      const choices = chooseCredentials(match, selection);
      return this.grant(wallet, approval.origin, approval.requestHash, request, purposes, choices);
    },
  };

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
        const receipt = await createConsentReceipt(await wallet.pairwise.signer(site), draft);
        const grant: GrantRecord = { ...draft, receipt };
        unit.write(await wallet.grants.putOp(grant), await wallet.pairwise.saveOp({ ...site, grantIds: [...grantIdsOf(site), grant.id] }));
        unit.emit(
          { type: 'grant.given', grantId: grant.id, origin, kind: 'data', receipt, purposes: grant.purposes },
          { type: 'credential.presented', origin, credentials: credentials.map((c) => ({ id: c.credentialId, types: c.types, claimPaths: c.claimPaths })) },
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

/** Params → the request kept with the approval; a bad purpose or query is `invalid_input` naming the field. */
function checkRequest(params: RequestDataAccessParams): DataAccessRequest {
  if (params.requester !== undefined) {
    throw new DomainError('invalid_input', 'params.requester: accreditation of requesters is not supported by this wallet version');
  }
  const purposes = parsePurposes(params.purpose);
  if (!purposes.ok) throw new DomainError('invalid_input', `params.purpose: unknown purpose term${purposes.unknown.length > 1 ? 's' : ''} ${purposes.unknown.join(', ')}`);
  let dcqlQuery: DcqlQuery;
  try {
    dcqlQuery = parseDcqlQuery(params.dcql_query);
  } catch (error) {
    if (error instanceof ProtocolError) throw new DomainError('invalid_input', `params.${error.description}`);
    throw error;
  }
  return {
    purposes: purposes.purposes.map((p) => p.term),
    dcqlQuery,
    nonce: params.nonce,
    durationDays: params.duration_days,
    usageLimit: params.usage_limit ?? null,
    retentionDays: params.retention_days ?? null,
  };
}

function checkedPurposes(terms: string[]): PurposeTerm[] {
  const parsed = parsePurposes(terms);
  if (!parsed.ok) throw new DomainError('invalid_request', `unknown purposes ${parsed.unknown.join(', ')}`);
  return parsed.purposes;
}

/** Separately consented purposes count only when ticked; something must remain. */
function consentedPurposes(asked: PurposeTerm[], ticked: readonly string[]): PurposeTerm[] {
  const purposes = asked.filter((p) => !p.separate || ticked.includes(p.term));
  if (purposes.length === 0) throw new DomainError('invalid_input', 'Tick the purpose to consent to it, or decline the request.');
  return purposes;
}
