import type { DcApiProtocol } from '../../protocol/dc-api.ts';
import type { ConsentQueryView, CredentialSelection } from '../../protocol/internal.ts';
import type { CredentialsResult } from '../../protocol/rpc.ts';
import type { CommitPoint } from '../commit/unit-of-work.ts';
import type { DidResolver } from '../credentials/types.ts';
import { hashJson } from '../encoding.ts';
import { DomainError } from '../errors.ts';
import { matchDcql, type DcqlMatch } from '../presentation/dcql-match.ts';
import { SelectionError } from '../presentation/errors.ts';
import { parseDcApiRequest, ProtocolError, type ParsedRequest } from '../presentation/openid4vp-request.ts';
import { buildVpToken, type PresentationChoice } from '../presentation/vp-token.ts';
import type { WalletPorts } from '../ports.ts';
import type { ApprovalDesk } from './approval-desk.ts';
import type { ApprovalKindHandler } from './approval-kinds.ts';
import type { CredentialStatusService } from './credential-status.ts';
import { toCredentialView } from './credential-views.ts';
import type { UnlockedWallet } from './wallet-session.ts';

type ProtocolRefusal = { error: 'invalid_request'; error_description: string };

/**
 * A site asks for credentials (OpenID4VP + DCQL, through the DC API or the provider).
 * Protocol errors answer `invalid_request` without a window; otherwise the user always
 * decides, even when nothing matches, so a site cannot probe what the wallet holds.
 */
export class CredentialPresentation {
  constructor(
    private readonly ports: WalletPorts,
    private readonly commit: CommitPoint,
    private readonly desk: ApprovalDesk,
    private readonly status: CredentialStatusService,
    private readonly resolver: DidResolver,
  ) {}

  async request(origin: string, requestId: string, protocol: DcApiProtocol | null, data: Record<string, unknown>): Promise<CredentialsResult> {
    const parsed = await this.parse(origin, protocol, data);
    if ('error' in parsed) return parsed;
    const requestHash = await hashJson({ method: 'wallet_requestCredentials', origin, protocol, data });
    return (await this.desk.ask(requestId, { kind: 'credentials', origin, requestId, requestHash, request: parsed.request, protocol })) as CredentialsResult;
  }

  private async parse(origin: string, protocol: DcApiProtocol | null, data: Record<string, unknown>): Promise<{ request: ParsedRequest } | ProtocolRefusal> {
    const effective = protocol ?? ('request' in data ? 'openid4vp-v1-signed' : 'openid4vp-v1-unsigned');
    try {
      return { request: await parseDcApiRequest({ protocol: effective, data, origin }, { resolver: this.resolver, now: this.ports.now() }) };
    } catch (error) {
      if (error instanceof ProtocolError) return { error: 'invalid_request', error_description: error.description };
      throw error;
    }
  }

  readonly approvalKind: ApprovalKindHandler<'credentials'> = {
    kind: 'credentials',
    view: async (wallet, approval) => {
      const request = approval.request as ParsedRequest;
      // The stored statuses only: nothing is fetched while the request is merely on screen.
      const match = matchDcql(request.dcqlQuery, await wallet.credentials.list(), { now: this.ports.now() });
      const queries: ConsentQueryView[] = await Promise.all(
        match.queries.map(async (query) => ({
          asked: askedFor(request, query.queryId, query.format, query.claims.map((c) => c.path)),
          queryId: query.queryId,
          holderBinding: query.holderBinding,
          candidates: await Promise.all(
            query.candidates.map(async (record) => ({
              credential: await toCredentialView(wallet, record),
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
      const header = { id: approval.id, origin: approval.origin, createdAt: new Date(approval.createdAt).toISOString() };
      return { show: { ...header, kind: 'credentials', clientId: request.clientId, queries } };
    },
    approve: async (wallet, approval, selection) => {
      const answer = await this.share(wallet, approval.request as ParsedRequest, selection);
      await this.commit.run(async (unit) =>
        unit.emit({ type: 'credential.presented', origin: approval.origin, credentialIds: answer.credentialIds }),
      );
      return answer.result;
    },
  };

  /** Builds the answer from the user's choices, checking every candidate's status first. */
  private async share(
    wallet: UnlockedWallet,
    request: ParsedRequest,
    selection: CredentialSelection | undefined,
  ): Promise<{ result: CredentialsResult; credentialIds: string[] }> {
    if (!selection) throw new DomainError('invalid_input', 'Choose which credential answers each request.');
    const match = await this.matchWithFreshStatus(wallet, request);
    const choices: PresentationChoice[] = [];
    for (const query of match.queries) {
      const chosen = selection.queries[query.queryId];
      if (!chosen) continue;
      const record = query.candidates.find((c) => c.id === chosen.credentialId);
      if (!record) throw new DomainError('invalid_input', `That credential cannot answer '${query.queryId}' (it may have been revoked).`);
      if (record.statusResult.state === 'unknown' && !selection.acceptUnknownStatus) {
        throw new DomainError('invalid_input', 'The issuer could not be reached to confirm a credential is still valid; confirm the warning to share it anyway.');
      }
      const known = (path: (string | number)[]) => record.claims.some((c) => samePath(c.path, path) || isPrefix(path, c.path));
      const unknownPath = chosen.claims.find((path) => !known(path));
      if (unknownPath) throw new DomainError('invalid_input', `The credential has no claim ${unknownPath.join('.')}.`);
      choices.push({ queryId: query.queryId, record, disclose: chosen.claims, holderBinding: query.holderBinding });
    }
    if (!match.satisfiable(choices.map((c) => c.queryId))) {
      throw new DomainError('invalid_input', 'The request needs more credentials than were chosen.');
    }
    try {
      const result = await buildVpToken({
        request,
        choices,
        signerFor: (binding) => wallet.pairwise.signerFor(binding.keyRef, binding.kid),
        now: this.ports.now(),
      });
      return { result, credentialIds: choices.map((c) => c.record.id) };
    } catch (error) {
      if (error instanceof SelectionError) throw new DomainError('invalid_input', error.message);
      throw error;
    }
  }

  /**
   * The user approved: re-check the status of every candidate ("before every share";
   * the status-list cache honours each list's ttl) and match again if one changed, so
   * a revoked credential never leaves.
   */
  private async matchWithFreshStatus(wallet: UnlockedWallet, request: ParsedRequest): Promise<DcqlMatch> {
    const now = this.ports.now();
    const first = matchDcql(request.dcqlQuery, await wallet.credentials.list(), { now });
    const candidates = [...new Map(first.queries.flatMap((q) => q.candidates).map((c) => [c.id, c])).values()];
    const rechecked = await Promise.all(candidates.map((record) => this.status.refresh(wallet, record, true)));
    const changed = rechecked.some((record, i) => record.statusResult.state !== candidates[i]?.statusResult.state);
    return changed ? matchDcql(request.dcqlQuery, await wallet.credentials.list(), { now }) : first;
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
