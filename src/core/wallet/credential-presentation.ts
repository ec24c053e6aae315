import type { DcApiProtocol } from '../../protocol/dc-api.ts';
import type { CredentialsResult } from '../../protocol/rpc.ts';
import { hashJson } from '../encoding.ts';
import { parseDcApiRequest, ProtocolError, type ParsedRequest } from '../presentation/openid4vp-request.ts';
import { buildVpToken } from '../presentation/vp-token.ts';
import { sameHostDidWeb } from '../identity/did-web-resolver.ts';
import { approvalHeader, type ApprovalKindHandler } from './approval-kinds.ts';
import { chooseCredentials, consentQueries, matchHeld, matchWithFreshStatus, presentOrAsk, releasedPaths } from './presentation-choices.ts';
import type { CredentialContext } from './flow-context.ts';
import { DomainError } from '../errors.ts';
import { checkAccreditation, type RequesterCheck } from '../research/requester-check.ts';
import { blockedReason, requesterCheckDeps, requesterView, researchQueries, type ResearchConsent } from './research-consent.ts';
import type { UnlockedWallet } from './wallet-session.ts';
import { requesterChecked } from './data-access-request.ts';

/** A checked request as kept with its approval: the verifier's accreditation checked before the window opened. */
type StoredRequest = ParsedRequest & { requester?: RequesterCheck };

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
    const request: StoredRequest = parsed.request;
    if (request.verifierAccreditation !== null) {
      // The pending check first, then the accreditation (§8: before any window opens).
      if (await this.ctx.desk.queue.hasPending(origin, 'credentials')) {
        throw new DomainError('pending', 'A credentials request from this origin is already pending; wait for it to finish.');
      }
      const wallet = await this.ctx.session.current();
      if (wallet) request.requester = await this.checkVerifier(wallet, request);
    }
    const requestHash = await hashJson({ method: 'wallet_requestCredentials', origin, protocol, data });
    return (await this.ctx.desk.ask(requestId, { kind: 'credentials', origin, requestId, requestHash, request, protocol })) as CredentialsResult;
  }

  private async parse(origin: string, protocol: DcApiProtocol | null, data: Record<string, unknown>): Promise<{ request: ParsedRequest } | ProtocolRefusal> {
    const effective = protocol ?? ('request' in data ? 'openid4vp-v1-signed' : 'openid4vp-v1-unsigned');
    try {
      return { request: await parseDcApiRequest({ protocol: effective, data, origin }, { resolver: sameHostDidWeb(this.ctx.resolver, origin), now: this.ctx.ports.now() }) };
    } catch (error) {
      if (error instanceof ProtocolError) return { error: 'invalid_request', error_description: error.description };
      throw error;
    }
  }

  readonly approvalKind: ApprovalKindHandler<'credentials'> = {
    kind: 'credentials',
    view: async (wallet, approval) => {
      const request = approval.request as StoredRequest;
      const consent = await this.consent(wallet, approval.origin, request);
      const match = await matchHeld(wallet, request.dcqlQuery, this.ctx.ports.now());
      const queries = researchQueries(consent, await consentQueries(wallet, request.dcqlQuery, match));
      return {
        show: { ...approvalHeader(approval), clientId: request.clientId, queries, requester: consent.check ? requesterView(consent) : null },
      };
    },
    approve: async (wallet, approval, selection) => {
      const request = approval.request as StoredRequest;
      const consent = await this.consent(wallet, approval.origin, request);
      const match = await matchWithFreshStatus(wallet, this.ctx.status, request.dcqlQuery, this.ctx.ports.now());
      const choices = chooseCredentials(match, selection);
      for (const choice of choices) {
        const blocked = blockedReason(consent, choice.record);
        if (blocked) throw new DomainError('invalid_input', blocked);
      }
      const result = await presentOrAsk(() =>
        buildVpToken({ request, choices, signerFor: (binding) => wallet.pairwise.signerFor(binding.keyRef, binding.kid), now: this.ctx.ports.now() }),
      );
      await this.ctx.commit.run(async (unit) =>
        unit.emit(
          {
            type: 'credential.presented',
            origin: approval.origin,
            credentials: choices.map((c) => ({ id: c.record.id, types: c.record.types, claimPaths: releasedPaths(c) })),
          },
          ...(consent.check ? [requesterChecked(approval.origin, consent.check)] : []),
        ),
      );
      return result;
    },
    rejected: async (wallet, approval) => {
      const request = approval.request as StoredRequest;
      if (request.verifierAccreditation === null) return;
      const { check } = await this.consent(wallet, approval.origin, request);
      if (check) await this.ctx.commit.run(async (unit) => unit.emit(requesterChecked(approval.origin, check)));
    },
  };

  /** Sensitive categories go only to a verifier whose accreditation checked out (DESIGN.md §5, §8). */
  private async consent(wallet: UnlockedWallet, origin: string, request: StoredRequest): Promise<ResearchConsent> {
    const check = request.requester ?? (request.verifierAccreditation !== null ? await this.checkVerifier(wallet, request) : null);
    return { origin, check, policy: await wallet.research.policy(), purposes: [] };
  }

  /** The client_id DID signed the request; its accreditation must name that DID and this origin. */
  private checkVerifier(wallet: UnlockedWallet, request: ParsedRequest): Promise<RequesterCheck> {
    const did = request.clientId!.slice(request.clientId!.indexOf(':') + 1);
    return checkAccreditation(
      request.verifierAccreditation!,
      did,
      { origin: request.origin, purposes: [], claimPaths: [] },
      requesterCheckDeps(this.ctx, wallet),
    );
  }
}
