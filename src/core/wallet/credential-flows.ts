import { invalidParams } from '../../protocol/errors.ts';
import type { DcApiProtocol } from '../../protocol/dc-api.ts';
import type {
  ApprovalView,
  ConsentQueryView,
  CredentialDetailView,
  CredentialSelection,
  CredentialView,
} from '../../protocol/internal.ts';
import type { CredentialsResult } from '../../protocol/rpc.ts';
import type { PendingApproval } from '../approvals/approval-queue.ts';
import { CredentialError } from '../credentials/errors.ts';
import { WalletHolderKeys } from '../credentials/holder-keys.ts';
import { checkStatus, isDue, StatusListCache } from '../credentials/status/status-checker.ts';
import type { CredentialRecord, CredentialStatus, DidResolver, VerifiedCredential } from '../credentials/types.ts';
import { verifyCredential } from '../credentials/verify-credential.ts';
import { randomId } from '../encoding.ts';
import { CoreError } from '../errors.ts';
import { createDidResolver } from '../identity/did-resolvers.ts';
import { matchDcql, type DcqlMatch } from '../presentation/dcql-match.ts';
import { parseDcApiRequest, ProtocolError, type ParsedRequest } from '../presentation/openid4vp-request.ts';
import { buildVpToken, type PresentationChoice } from '../presentation/vp-token.ts';
import { SelectionError } from '../presentation/errors.ts';
import type { WalletPorts } from './ports.ts';
import type { UnlockedWallet } from './wallet-session.ts';

interface AcceptedCredential {
  verified: VerifiedCredential;
  status: CredentialStatus;
}

type OfferApproval = Extract<PendingApproval, { kind: 'offer' }>;
type CredentialsApproval = Extract<PendingApproval, { kind: 'credentials' }>;

/**
 * Receiving, holding and presenting credentials. Loaded lazily by Wallet, so the
 * worker starts without the credential libraries (jose, SD-JWT, DCQL).
 */
export class CredentialFlows {
  private readonly resolver: DidResolver = createDidResolver();
  /** Status lists fetched this worker's lifetime, honouring their ttl. */
  private readonly statusCache = new StatusListCache();

  constructor(private readonly ports: WalletPorts) {}

  // ── receiving ───────────────────────────────────────────────────────────────

  /** Verifies an offered credential; a refusal is -32602 naming the problem. Stores nothing. */
  async verifyOffer(wallet: UnlockedWallet, raw: string): Promise<AcceptedCredential> {
    try {
      return await this.accept(wallet, raw);
    } catch (error) {
      if (error instanceof CredentialError) throw invalidParams(`params.credential: ${error.message}`);
      throw error;
    }
  }

  async keepOffer(wallet: UnlockedWallet, approval: OfferApproval): Promise<{ id: string }> {
    const record = await this.store(wallet, await this.verifyOffer(wallet, approval.credential), approval.origin);
    return { id: record.id };
  }

  /** Dashboard import (paste or file): the same checks as an offer, refusals for the holder. */
  async importCredential(wallet: UnlockedWallet, raw: string): Promise<CredentialView> {
    let accepted: AcceptedCredential;
    try {
      accepted = await this.accept(wallet, raw);
    } catch (error) {
      if (error instanceof CredentialError) throw new CoreError('invalid_credential', error.message);
      throw error;
    }
    return this.view(wallet, await this.store(wallet, accepted, 'import'));
  }

  /** Signature, validity, binding and status: a credential the wallet may keep, or a CredentialError. */
  private async accept(wallet: UnlockedWallet, raw: string): Promise<AcceptedCredential> {
    const verified = await verifyCredential(raw, {
      resolver: this.resolver,
      holderKeys: new WalletHolderKeys(wallet.pairwise),
      now: this.ports.now(),
    });
    const status = await this.statusOf(verified);
    if (status.state === 'revoked' || status.state === 'suspended') {
      throw new CredentialError(status.state, `the credential is ${status.state} (${status.reason ?? 'by its issuer'})`);
    }
    return { verified, status };
  }

  private async store(wallet: UnlockedWallet, { verified, status }: AcceptedCredential, receivedFrom: string): Promise<CredentialRecord> {
    const record: CredentialRecord = {
      ...verified,
      id: randomId(),
      receivedAt: new Date(this.ports.now()).toISOString(),
      receivedFrom,
      statusResult: status,
    };
    await wallet.credentials.save(record);
    return record;
  }

  // ── presenting ──────────────────────────────────────────────────────────────

  /** Checks an OpenID4VP request; protocol errors become the `invalid_request` answer. */
  async parseRequest(
    origin: string,
    protocol: DcApiProtocol | null,
    data: Record<string, unknown>,
  ): Promise<{ request: ParsedRequest } | { error: 'invalid_request'; error_description: string }> {
    const effective = protocol ?? ('request' in data ? 'openid4vp-v1-signed' : 'openid4vp-v1-unsigned');
    try {
      return { request: await parseDcApiRequest({ protocol: effective, data, origin }, { resolver: this.resolver, now: this.ports.now() }) };
    } catch (error) {
      if (error instanceof ProtocolError) return { error: 'invalid_request', error_description: error.description };
      throw error;
    }
  }

  /** What the approval window shows; statuses are refreshed first so the view is current. */
  async approvalView(wallet: UnlockedWallet, approval: OfferApproval | CredentialsApproval): Promise<ApprovalView> {
    const header = { id: approval.id, origin: approval.origin, createdAt: new Date(approval.createdAt).toISOString() };
    if (approval.kind === 'offer') {
      const { verified, status } = await this.verifyOffer(wallet, approval.credential);
      const credential = await this.view(wallet, { ...verified, id: '', receivedAt: '', receivedFrom: approval.origin, statusResult: status });
      return { ...header, kind: 'offer', credential: { ...credential, receivedAt: null } };
    }
    const request = approval.request as ParsedRequest;
    const match = await this.match(wallet, request);
    const queries: ConsentQueryView[] = await Promise.all(
      match.queries.map(async (query) => ({
        asked: askedFor(request, query.queryId, query.format, query.claims.map((c) => c.path)),
        queryId: query.queryId,
        holderBinding: query.holderBinding,
        candidates: await Promise.all(
          query.candidates.map(async (record) => ({
            credential: await this.view(wallet, record),
            claims: record.claims.map((claim) => ({
              path: claim.path,
              value: claim.value,
              requested: query.requestedPathsOf(record.id).some((p) => isPrefix(p, claim.path)),
              // The whole JWT credential leaves; only SD-JWT claims can be withheld.
              disclosable: record.format === 'dc+sd-jwt' && claim.disclosable,
            })),
          })),
        ),
      })),
    );
    return { ...header, kind: 'credentials', clientId: request.clientId, queries };
  }

  /** Builds the answer from the user's choices, checking status once more first. */
  async share(wallet: UnlockedWallet, approval: CredentialsApproval, selection: CredentialSelection | undefined): Promise<CredentialsResult> {
    if (!selection) throw new CoreError('invalid_input', 'Choose which credential answers each request.');
    const request = approval.request as ParsedRequest;
    const match = await this.match(wallet, request);
    const choices: PresentationChoice[] = [];
    for (const query of match.queries) {
      const chosen = selection.queries[query.queryId];
      if (!chosen) continue;
      const record = query.candidates.find((c) => c.id === chosen.credentialId);
      if (!record) throw new CoreError('invalid_input', `That credential cannot answer '${query.queryId}' (it may have been revoked).`);
      if (record.statusResult.state === 'unknown' && !selection.acceptUnknownStatus) {
        throw new CoreError('invalid_input', 'The issuer could not be reached to confirm a credential is still valid; confirm the warning to share it anyway.');
      }
      const known = (path: (string | number)[]) => record.claims.some((c) => samePath(c.path, path) || isPrefix(path, c.path));
      const unknownPath = chosen.claims.find((path) => !known(path));
      if (unknownPath) throw new CoreError('invalid_input', `The credential has no claim ${unknownPath.join('.')}.`);
      choices.push({ queryId: query.queryId, record, disclose: chosen.claims, holderBinding: query.holderBinding });
    }
    if (!match.satisfiable(choices.map((c) => c.queryId))) {
      throw new CoreError('invalid_input', 'The request needs more credentials than were chosen.');
    }
    try {
      return await buildVpToken({
        request,
        choices,
        signerFor: (binding) => wallet.pairwise.signerFor(binding.keyRef, binding.kid),
        now: this.ports.now(),
      });
    } catch (error) {
      if (error instanceof SelectionError) throw new CoreError('invalid_input', error.message);
      throw error;
    }
  }

  /**
   * Matches the request against held credentials, re-checking the status of every
   * candidate first ("before every share"; the status-list cache honours each list's
   * ttl), and matches again if a status changed so a revoked credential is never offered.
   */
  private async match(wallet: UnlockedWallet, request: ParsedRequest): Promise<DcqlMatch> {
    const now = this.ports.now();
    const first = matchDcql(request.dcqlQuery, await wallet.credentials.list(), { now });
    const candidates = [...new Map(first.queries.flatMap((q) => q.candidates).map((c) => [c.id, c])).values()];
    const rechecked = await Promise.all(candidates.map((record) => this.refresh(wallet, record, true)));
    const changed = rechecked.some((record, i) => record.statusResult.state !== candidates[i]?.statusResult.state);
    return changed ? matchDcql(request.dcqlQuery, await wallet.credentials.list(), { now }) : first;
  }

  // ── holding ─────────────────────────────────────────────────────────────────

  async list(wallet: UnlockedWallet): Promise<CredentialView[]> {
    const records = await wallet.credentials.list();
    return Promise.all(records.map((r) => this.view(wallet, r)));
  }

  async detail(wallet: UnlockedWallet, id: string): Promise<CredentialDetailView> {
    const record = await this.require(wallet, id);
    return { ...(await this.view(wallet, record)), raw: record.raw };
  }

  async delete(wallet: UnlockedWallet, id: string): Promise<void> {
    if (!(await wallet.credentials.delete(id))) throw new CoreError('not_found', 'No such credential.');
  }

  async refreshStatus(wallet: UnlockedWallet, id: string): Promise<CredentialView> {
    return this.view(wallet, await this.refresh(wallet, await this.require(wallet, id), true));
  }

  /** The scheduled check: every held credential whose status is due (by its list's ttl). */
  async refreshDueStatuses(wallet: UnlockedWallet): Promise<number> {
    let checked = 0;
    for (const record of await wallet.credentials.list()) {
      if (!isDue(record.statusResult, this.ports.now())) continue;
      await this.refresh(wallet, record, false);
      checked++;
    }
    return checked;
  }

  private async refresh(wallet: UnlockedWallet, record: CredentialRecord, force: boolean): Promise<CredentialRecord> {
    if (!force && !isDue(record.statusResult, this.ports.now())) return record;
    const status = await this.statusOf(record);
    return (await wallet.credentials.setStatus(record.id, status)) ?? record;
  }

  private async statusOf(credential: VerifiedCredential): Promise<CredentialStatus> {
    const now = this.ports.now();
    if (credential.validUntil && Date.parse(credential.validUntil) <= now) {
      return { state: 'expired', checkedAt: new Date(now).toISOString(), reason: `expired on ${credential.validUntil}`, nextCheckAt: null };
    }
    return checkStatus(credential.status, {
      issuer: credential.issuer,
      fetcher: this.ports.fetcher,
      resolver: this.resolver,
      now,
      cache: this.statusCache,
    });
  }

  private async require(wallet: UnlockedWallet, id: string): Promise<CredentialRecord> {
    const record = await wallet.credentials.get(id);
    if (!record) throw new CoreError('not_found', 'No such credential.');
    return record;
  }

  private async view(wallet: UnlockedWallet, record: CredentialRecord): Promise<CredentialView> {
    const label = await wallet.trust.labelOf(record.issuer);
    return {
      id: record.id,
      format: record.format,
      issuer: record.issuer,
      issuerTrusted: label !== null,
      issuerLabel: label,
      types: record.types,
      vct: record.vct,
      claims: record.claims.map(({ path, value, disclosable }) => ({ path, value, disclosable })),
      issuedAt: record.issuedAt,
      validFrom: record.validFrom,
      validUntil: record.validUntil,
      receivedAt: record.receivedAt || null,
      receivedFrom: record.receivedFrom,
      holderDid: record.holder.did,
      status: { state: record.statusResult.state, checkedAt: record.statusResult.checkedAt, reason: record.statusResult.reason },
    };
  }
}

/** The credential types (W3C `type_values` or SD-JWT `vct_values`) and claims a query names. */
function askedFor(request: ParsedRequest, queryId: string, format: string, claims: (string | number | null)[][]): ConsentQueryView['asked'] {
  const meta = (request.dcqlQuery.credentials.find((c) => c.id === queryId)?.meta ?? {}) as {
    vct_values?: string[];
    type_values?: string[][];
  };
  const types = meta.vct_values ?? (meta.type_values ?? []).map((alternative) => alternative.join(' + '));
  return { format, types, claims };
}

const samePath = (a: (string | number)[], b: (string | number)[]) => a.length === b.length && a.every((x, i) => x === b[i]);
/** `prefix` is `path` or one of its ancestors (a requested object covers its leaves; null matches any index). */
const isPrefix = (prefix: (string | number | null)[], path: (string | number)[]) =>
  prefix.length <= path.length && prefix.every((x, i) => x === path[i] || x === null);
