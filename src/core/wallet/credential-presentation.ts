import type { DcApiProtocol } from '../../protocol/dc-api.ts';
import type { CredentialsResult } from '../../protocol/rpc.ts';
import { hashJson } from '../encoding.ts';
import { parseDcApiRequest, ProtocolError, type ParsedRequest } from '../presentation/openid4vp-request.ts';
import { buildVpToken } from '../presentation/vp-token.ts';
import { approvalHeader, type ApprovalKindHandler } from './approval-kinds.ts';
import { chooseCredentials, consentQueries, matchHeld, matchWithFreshStatus, presentOrAsk, releasedPaths } from './presentation-choices.ts';
import type { CredentialContext } from './flow-context.ts';

type ProtocolRefusal = { error: 'invalid_request'; error_description: string };

/**
 * A site asks for credentials (OpenID4VP + DCQL, through the DC API or the provider).
 * Protocol errors answer `invalid_request` without a window; otherwise the user always
 * decides, even when nothing matches, so a site cannot probe what the wallet holds.
 */
export class CredentialPresentation {
  constructor(private readonly ctx: CredentialContext) {}

  async request(origin: string, requestId: string, protocol: DcApiProtocol | null, data: Record<string, unknown>): Promise<CredentialsResult> {
    const parsed = await this.parse(origin, protocol, data);
    if ('error' in parsed) return parsed;
    const requestHash = await hashJson({ method: 'wallet_requestCredentials', origin, protocol, data });
    return (await this.ctx.desk.ask(requestId, { kind: 'credentials', origin, requestId, requestHash, request: parsed.request, protocol })) as CredentialsResult;
  }

  private async parse(origin: string, protocol: DcApiProtocol | null, data: Record<string, unknown>): Promise<{ request: ParsedRequest } | ProtocolRefusal> {
    const effective = protocol ?? ('request' in data ? 'openid4vp-v1-signed' : 'openid4vp-v1-unsigned');
    try {
      return { request: await parseDcApiRequest({ protocol: effective, data, origin }, { resolver: this.ctx.resolver, now: this.ctx.ports.now() }) };
    } catch (error) {
      if (error instanceof ProtocolError) return { error: 'invalid_request', error_description: error.description };
      throw error;
    }
  }

  readonly approvalKind: ApprovalKindHandler<'credentials'> = {
    kind: 'credentials',
    view: async (wallet, approval) => {
      const request = approval.request as ParsedRequest;
      const match = await matchHeld(wallet, request.dcqlQuery, this.ctx.ports.now());
      const queries = await consentQueries(wallet, request.dcqlQuery, match);
      return { show: { ...approvalHeader(approval), clientId: request.clientId, queries } };
    },
    approve: async (wallet, approval, selection) => {
      const request = approval.request as ParsedRequest;
      const match = await matchWithFreshStatus(wallet, this.ctx.status, request.dcqlQuery, this.ctx.ports.now());
      const choices = chooseCredentials(match, selection);
      const result = await presentOrAsk(() =>
        buildVpToken({ request, choices, signerFor: (binding) => wallet.pairwise.signerFor(binding.keyRef, binding.kid), now: this.ctx.ports.now() }),
      );
      await this.ctx.commit.run(async (unit) =>
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
