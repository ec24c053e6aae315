import type { DcApiProtocol } from '../../protocol/dc-api.ts';
import type { CredentialsResult } from '../../protocol/rpc.ts';
import type { CommitPoint } from '../commit/unit-of-work.ts';
import type { DidResolver } from '../credentials/types.ts';
import { hashJson } from '../encoding.ts';
import { DomainError } from '../errors.ts';
import { SelectionError } from '../presentation/errors.ts';
import { parseDcApiRequest, ProtocolError, type ParsedRequest } from '../presentation/openid4vp-request.ts';
import { buildVpToken } from '../presentation/vp-token.ts';
import type { WalletPorts } from '../ports.ts';
import type { ApprovalDesk } from './approval-desk.ts';
import type { ApprovalKindHandler } from './approval-kinds.ts';
import type { CredentialStatusService } from './credential-status.ts';
import { chooseCredentials, consentQueries, matchHeld, matchWithFreshStatus, releasedPaths } from './presentation-choices.ts';

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
      const match = await matchHeld(wallet, request.dcqlQuery, this.ports.now());
      const queries = await consentQueries(wallet, request.dcqlQuery, match);
      const header = { id: approval.id, origin: approval.origin, createdAt: new Date(approval.createdAt).toISOString() };
      return { show: { ...header, kind: 'credentials', clientId: request.clientId, queries } };
    },
    approve: async (wallet, approval, selection) => {
      const request = approval.request as ParsedRequest;
      const match = await matchWithFreshStatus(wallet, this.status, request.dcqlQuery, this.ports.now());
      const choices = chooseCredentials(match, selection);
      let result: CredentialsResult;
      try {
        result = await buildVpToken({
          request,
          choices,
          signerFor: (binding) => wallet.pairwise.signerFor(binding.keyRef, binding.kid),
          now: this.ports.now(),
        });
      } catch (error) {
        if (error instanceof SelectionError) throw new DomainError('invalid_input', error.message);
        throw error;
      }
      await this.commit.run(async (unit) =>
        unit.emit({
          type: 'credential.presented',
          origin: approval.origin,
          credentials: choices.map((c) => ({ id: c.record.id, types: c.record.types, claimPaths: releasedPaths(c) })),
        }),
      );
      return result;
    },
  };
}
