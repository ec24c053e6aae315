import type { DeletionRequestView, GrantView, ReceiptView } from '../../protocol/internal.ts';
import { createDeletionRequest } from '../grants/deletion-request.ts';
import type { SiteGrantView } from '../../protocol/rpc.ts';
import { receiptProofFor } from '../anchoring/receipt-proofs.ts';
import { DomainError } from '../errors.ts';
import { toGrantView, toSiteGrantView, type GrantEvent, type GrantRecord } from '../grants/grant-record.ts';
import { grantLock } from '../grants/grant-service.ts';
import { grantIdsOf } from '../identity/pairwise.ts';
import type { UnlockedWallet } from './wallet-session.ts';
import type { FlowContext } from './flow-context.ts';

/** Who has access to what: the holder's view and revocation, and a site's view of its own grants. */
export class GrantFlow {
  constructor(private readonly ctx: FlowContext) {}

  async listForHolder(): Promise<GrantView[]> {
    const wallet = await this.ctx.session.require();
    const now = this.ctx.ports.now();
    return (await wallet.grants.list()).map((g) => toGrantView(g, now));
  }

  async revokeAsHolder(grantId: string): Promise<GrantView> {
    const wallet = await this.ctx.session.require();
    const grant = await this.withdraw(wallet, grantId, 'holder');
    if (!grant) throw new DomainError('not_found', 'No such grant.');
    return toGrantView(grant, this.ctx.ports.now());
  }

  /** The receipt of one of the holder's grants (and, once anchored, its proof). */
  async receipt(grantId: string): Promise<ReceiptView> {
    const wallet = await this.ctx.session.require();
    const grant = await wallet.grants.get(grantId);
    if (!grant?.receipt) throw new DomainError('not_found', 'That grant has no receipt.');
    return { grantId, receipt: grant.receipt, receiptProof: await receiptProofFor(wallet, grant) };
  }

  /** A deletion request to the requester, signed by the grant's pairwise DID; recorded in the activity log. */
  async deletionRequest(grantId: string): Promise<DeletionRequestView> {
    const wallet = await this.ctx.session.require();
    const grant = await wallet.grants.get(grantId);
    if (!grant) throw new DomainError('not_found', 'No such grant.');
    const site = await wallet.pairwise.find(grant.requester.origin);
    if (!site || site.did !== grant.holder.pairwiseDid) throw new DomainError('not_found', "The grant's DID is no longer held.");
    const request = await createDeletionRequest(await wallet.pairwise.signer(site), grant, this.ctx.ports.now());
    await this.ctx.commit.run(async (unit) => unit.emit({ type: 'deletion.requested', grantId, origin: grant.requester.origin }));
    return { grantId, request, endpoint: null };
  }

  /** A site's own grants only. */
  async listForSite(origin: string): Promise<SiteGrantView[]> {
    const wallet = await this.unlockedForSite();
    const now = this.ctx.ports.now();
    // The site's own record names its grants: no need to decrypt every grant of every site.
    const site = await wallet.pairwise.find(origin);
    const grants = site ? await Promise.all(grantIdsOf(site).map((id) => wallet.grants.get(id))) : [];
    const own = grants
      .filter((g): g is GrantRecord => g !== undefined && g.requester.origin === origin)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    return Promise.all(own.map(async (g) => ({ ...toSiteGrantView(g, now), receiptProof: await receiptProofFor(wallet, g) })));
  }

  /** A site gives up one of its grants; another site's id gets the answer an unknown one gets. */
  async revokeAsSite(origin: string, grantId: string): Promise<{ revoked: true }> {
    const wallet = await this.unlockedForSite();
    const grant = await this.withdraw(wallet, grantId, 'requester', origin);
    if (!grant) throw new DomainError('unauthorized', 'Unknown grant.');
    return { revoked: true };
  }

  /**
   * Withdraws a grant under its lock (re-read inside it), so an access in flight can
   * never write back the active copy. An ended grant stays as it is and tells no one
   * again. Undefined when there is no such grant (or it is not `origin`'s).
   */
  private withdraw(wallet: UnlockedWallet, grantId: string, actor: GrantEvent['actor'], origin?: string): Promise<GrantRecord | undefined> {
    return this.ctx.commit.run(
      async (unit) => {
        const grant = await wallet.grants.get(grantId);
        if (!grant || (origin !== undefined && grant.requester.origin !== origin)) return undefined;
        const change = await wallet.grants.withdrawal(grant, actor);
        if (!change) return grant;
        unit.write(change.op);
        unit.emit({ type: 'grant.revoked', grantId, origin: grant.requester.origin, actor, receipt: grant.receipt ?? null });
        return change.revoked;
      },
      { lock: [grantLock(grantId)] },
    );
  }

  private async unlockedForSite(): Promise<UnlockedWallet> {
    const wallet = await this.ctx.session.current();
    if (!wallet) throw new DomainError('locked', 'The wallet is locked; ask the user to unlock it and retry.');
    return wallet;
  }
}
