import type { IdentityResult, RequestIdentityParams } from '../../protocol/rpc.ts';
import { hashJson } from '../encoding.ts';
import { DomainError } from '../errors.ts';
import { grantLock } from '../grants/grant-service.ts';
import { createLoginPresentation } from '../identity/login-presentation.ts';
import { pairwiseLock, type PairwiseRecord } from '../identity/pairwise.ts';
import { approvalHeader, type ApprovalKindHandler, type ApprovalOf } from './approval-kinds.ts';
import type { UnlockedWallet } from './wallet-session.ts';
import type { FlowContext } from './flow-context.ts';

type IdentityApproval = ApprovalOf<'identity'>;

/**
 * "Log in with Tessera": the first request from a site asks the user; later ones are
 * answered silently while the site's identity grant is active.
 */
export class IdentityFlow {
  constructor(private readonly ctx: FlowContext) {
    ctx.desk.register('identity', async () => this.approvalKind);
  }

  async request(origin: string, requestId: string, params: RequestIdentityParams): Promise<IdentityResult> {
    const wallet = await this.ctx.session.current();
    // A silent login is the site's action, not the user's: it does not reset auto-lock.
    const silent = wallet ? await this.silentLogin(wallet, origin, params.nonce) : undefined;
    if (silent) return silent;
    const requestHash = await hashJson({ method: 'wallet_requestIdentity', origin, params });
    return (await this.ctx.desk.ask(requestId, { kind: 'identity', origin, requestId, params, requestHash })) as IdentityResult;
  }

  private readonly approvalKind: ApprovalKindHandler<'identity'> = {
    kind: 'identity',
    view: async (wallet, approval) => {
      const site = await wallet.pairwise.find(approval.origin);
      // Unlocking may reveal that the site is connected already: answer it silently.
      if (site?.identityGrantId && (await wallet.grants.active(site.identityGrantId))) {
        return {
          answerNow: async () =>
            (await this.silentLogin(wallet, approval.origin, approval.params.nonce)) ??
            Promise.reject(new DomainError('unauthorized', "The site's grant ended while the window was open; ask again.")),
        };
      }
      return {
        show: {
          ...approvalHeader(approval),
          pairwiseDid: site?.did ?? null,
        },
      };
    },
    approve: async (wallet, approval) =>
      (await this.silentLogin(wallet, approval.origin, approval.params.nonce)) ?? this.firstLogin(wallet, approval),
  };

  /**
   * A login under the site's active identity grant, or undefined when it has none.
   * Decided under the grant's lock from a fresh read, so a revocation that commits
   * first always wins and is never overwritten by this access.
   */
  private async silentLogin(wallet: UnlockedWallet, origin: string, nonce: string): Promise<IdentityResult | undefined> {
    const site = await wallet.pairwise.find(origin);
    const grantId = site?.identityGrantId;
    if (!site || !grantId) return undefined;
    return this.ctx.commit.run(
      async (unit) => {
        const grant = await wallet.grants.active(grantId);
        if (!grant) return undefined;
        const presentation = await this.sign(wallet, site, nonce);
        unit.write(await wallet.grants.accessOp(grant, await hashJson(presentation)));
        // One entry says it: a silent login is the identity grant's use (grant.accessed is for data grants).
        unit.emit({ type: 'identity.login', grantId, origin, firstTime: false });
        return { did: site.did, presentation };
      },
      { lock: [grantLock(grantId)] },
    );
  }

  /** The approved first login: the site's DID, its grant and the pointer to it land in one transaction. */
  private firstLogin(wallet: UnlockedWallet, approval: IdentityApproval): Promise<IdentityResult> {
    const { origin } = approval;
    return this.ctx.commit.run(
      async (unit) => {
        const site = await wallet.pairwise.findOrPrepare(origin);
        const presentation = await this.sign(wallet, site, approval.params.nonce);
        const { grant, op } = await wallet.grants.newIdentityGrant({
          origin,
          did: site.did,
          requestHash: approval.requestHash,
          presentationHash: await hashJson(presentation),
        });
        unit.write(op, await wallet.pairwise.linkIdentityGrantOp(site, grant.id));
        unit.emit(
          { type: 'grant.given', grantId: grant.id, origin, kind: 'identity', receipt: null, purposes: grant.purposes },
          { type: 'identity.login', grantId: grant.id, origin, firstTime: true },
        );
        return { did: site.did, presentation };
      },
      { lock: [pairwiseLock(origin)] },
    );
  }

  private async sign(wallet: UnlockedWallet, site: PairwiseRecord, nonce: string): Promise<string> {
    const signer = await wallet.pairwise.signer(site);
    return createLoginPresentation(signer, { did: site.did, origin: site.origin, nonce, now: this.ctx.ports.now() });
  }
}
