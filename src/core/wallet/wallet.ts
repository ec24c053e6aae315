import type { BackgroundReply } from '../../protocol/envelope.ts';
import { WalletError, toRpcError, userRejected, walletLocked } from '../../protocol/errors.ts';
import type { ApprovalLookup, GrantView, WalletStateView } from '../../protocol/internal.ts';
import type { IdentityResult, RequestIdentityParams, SiteGrantView } from '../../protocol/rpc.ts';
import { ApprovalQueue, type PendingApproval } from '../approvals/approval-queue.ts';
import { RequestReplies } from '../approvals/request-replies.ts';
import { hashJson } from '../encoding.ts';
import { CoreError } from '../errors.ts';
import { toGrantView, toSiteGrantView, type GrantRecord } from '../grants/grant-record.ts';
import { createLoginPresentation } from '../identity/login-presentation.ts';
import type { PairwiseRecord } from '../identity/pairwise.ts';
import { Vault } from '../vault/vault.ts';
import type { WalletPorts } from './ports.ts';
import { readSettings, writeSettings } from './settings.ts';
import { WalletSession, type UnlockedWallet } from './wallet-session.ts';

/**
 * The wallet's use cases, free of browser APIs: the background calls these from its
 * routers with the caller's origin taken from the runtime sender.
 */
export class Wallet {
  readonly vault: Vault;
  readonly session: WalletSession;
  readonly approvals: ApprovalQueue;
  readonly replies: RequestReplies;

  constructor(private readonly ports: WalletPorts) {
    this.vault = new Vault({ store: ports.store, now: ports.now, iterations: ports.kdfIterations });
    this.session = new WalletSession(ports);
    this.approvals = new ApprovalQueue(ports.session, ports.presenter, ports.now);
    this.replies = new RequestReplies(ports.session, ports.now);
  }

  // ── lock state ──────────────────────────────────────────────────────────────

  async state(): Promise<WalletStateView> {
    const [initialized, unlocked, settings, unlockRetryAfterMs] = await Promise.all([
      this.vault.isInitialized(),
      this.session.current(),
      readSettings(this.ports.store),
      this.vault.retryAfterMs(),
    ]);
    return { initialized, unlocked: unlocked !== null, autoLockMinutes: settings.autoLockMinutes, unlockRetryAfterMs };
  }

  async create(password: string): Promise<WalletStateView> {
    await this.session.open(await this.vault.create(password));
    return this.state();
  }

  async unlock(password: string): Promise<WalletStateView> {
    await this.session.open(await this.vault.unlock(password));
    await this.ports.events.toAll('unlocked', {});
    return this.state();
  }

  async lock(): Promise<WalletStateView> {
    const wasUnlocked = (await this.session.current()) !== null;
    await this.session.close();
    if (wasUnlocked) await this.ports.events.toAll('locked', {});
    return this.state();
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.session.require();
    await this.vault.changePassword(currentPassword, newPassword);
  }

  async setAutoLock(minutes: number): Promise<WalletStateView> {
    await this.session.require();
    await writeSettings(this.ports.store, { ...(await readSettings(this.ports.store)), autoLockMinutes: minutes });
    this.session.forgetSettings();
    await this.session.touch();
    return this.state();
  }

  // ── the holder's view of grants ─────────────────────────────────────────────

  async listGrants(): Promise<GrantView[]> {
    const wallet = await this.session.require();
    const now = this.ports.now();
    return (await wallet.grants.list()).map((g) => toGrantView(g, now));
  }

  async revokeGrantAsHolder(grantId: string): Promise<GrantView> {
    const wallet = await this.session.require();
    let revoked: GrantRecord;
    try {
      revoked = await wallet.grants.revoke(grantId, 'holder');
    } catch (error) {
      if (error instanceof WalletError) throw new CoreError('not_found', 'No such grant.');
      throw error;
    }
    await this.ports.events.toOrigin(revoked.requester.origin, 'grantRevoked', { grantId });
    return toGrantView(revoked, this.ports.now());
  }

  // ── approvals (the approval window) ─────────────────────────────────────────

  async getApproval(approvalId: string): Promise<ApprovalLookup> {
    const approval = await this.approvals.get(approvalId);
    if (!approval) return { state: 'settled' };
    const wallet = await this.session.current();
    if (!wallet) return { state: 'locked', origin: approval.origin, kind: approval.kind };
    // Unlocking may reveal that the site is connected already: answer it silently.
    const connected = await this.connectedSite(wallet, approval.origin);
    if (connected) {
      await this.settle(approval.id, () => this.loginWithGrant(wallet, connected, approval.params.nonce));
      return { state: 'settled' };
    }
    const pairwise = await wallet.pairwise.find(approval.origin);
    return {
      state: 'pending',
      approval: {
        id: approval.id,
        kind: approval.kind,
        origin: approval.origin,
        createdAt: new Date(approval.createdAt).toISOString(),
        pairwiseDid: pairwise?.did ?? null,
      },
    };
  }

  async resolveApproval(approvalId: string, decision: 'approve' | 'reject'): Promise<void> {
    if (!(await this.approvals.get(approvalId))) throw new CoreError('not_found', 'This request is no longer pending.');
    if (decision === 'reject') {
      await this.settle(approvalId, () => Promise.reject(userRejected()));
      return;
    }
    const wallet = await this.session.require();
    await this.session.touch();
    await this.settle(approvalId, (approval) => this.approveIdentity(wallet, approval));
  }

  /** The approval window was closed without a decision: a rejection (4900 if still locked). */
  async windowClosed(windowId: number): Promise<void> {
    const closed = await this.approvals.takeByWindow(windowId);
    if (closed.length === 0) return;
    const locked = (await this.session.current()) === null;
    const error = (locked ? walletLocked() : userRejected('User closed the request window.')).toJSON();
    for (const approval of closed) await this.replies.complete(approval.requestId, { ok: false, error });
  }

  // ── website-facing use cases ────────────────────────────────────────────────

  async requestIdentity(origin: string, requestId: string, params: RequestIdentityParams): Promise<IdentityResult> {
    const wallet = await this.session.current();
    if (wallet) {
      const connected = await this.connectedSite(wallet, origin);
      if (connected) {
        await this.session.touch();
        return this.loginWithGrant(wallet, connected, params.nonce);
      }
    }
    const requestHash = await hashJson({ method: 'wallet_requestIdentity', origin, params });
    await this.replies.expect(requestId, origin);
    try {
      await this.approvals.open({ kind: 'identity', origin, requestId, params, requestHash });
    } catch (error) {
      await this.replies.forget(requestId);
      throw error;
    }
    return unwrapReply(await this.replies.wait(requestId, origin)) as IdentityResult;
  }

  /** Re-attach to a request whose message channel broke (service-worker restart). */
  async awaitReply(origin: string, requestId: string): Promise<unknown> {
    return unwrapReply(await this.replies.wait(requestId, origin));
  }

  async siteGrants(origin: string): Promise<SiteGrantView[]> {
    const wallet = await this.unlockedForSite();
    const now = this.ports.now();
    return (await wallet.grants.listForOrigin(origin)).map((g) => toSiteGrantView(g, now));
  }

  async siteRevokeGrant(origin: string, grantId: string): Promise<{ revoked: true }> {
    const wallet = await this.unlockedForSite();
    const revoked = await wallet.grants.revoke(grantId, 'requester', origin);
    await this.ports.events.toOrigin(revoked.requester.origin, 'grantRevoked', { grantId });
    return { revoked: true };
  }

  // ── internals ───────────────────────────────────────────────────────────────

  private async unlockedForSite(): Promise<UnlockedWallet> {
    const wallet = await this.session.current();
    if (!wallet) throw walletLocked('The wallet is locked; ask the user to unlock it and retry.');
    return wallet;
  }

  /** Takes the approval (so it settles once), computes the answer and delivers it. */
  private async settle(approvalId: string, answer: (approval: PendingApproval) => Promise<unknown>): Promise<void> {
    const approval = await this.approvals.take(approvalId);
    if (!approval) throw new CoreError('not_found', 'This request is no longer pending.');
    let reply: BackgroundReply;
    try {
      reply = { ok: true, result: await answer(approval) };
    } catch (error) {
      reply = { ok: false, error: toRpcError(error) };
    }
    await this.replies.complete(approval.requestId, reply);
  }

  /** The site's pairwise record and active identity grant, if it is connected. */
  private async connectedSite(wallet: UnlockedWallet, origin: string): Promise<ConnectedSite | undefined> {
    const site = await wallet.pairwise.find(origin);
    const grant = site?.identityGrantId ? await wallet.grants.active(site.identityGrantId) : undefined;
    return site && grant ? { site, grant } : undefined;
  }

  private async approveIdentity(wallet: UnlockedWallet, approval: PendingApproval): Promise<IdentityResult> {
    const connected = await this.connectedSite(wallet, approval.origin);
    if (connected) return this.loginWithGrant(wallet, connected, approval.params.nonce);
    const site = await wallet.pairwise.getOrCreate(approval.origin);
    const presentation = await createLoginPresentation(await wallet.pairwise.signer(site), {
      did: site.did,
      origin: approval.origin,
      nonce: approval.params.nonce,
      now: this.ports.now(),
    });
    const { grant, op } = await wallet.grants.newIdentityGrant({
      origin: approval.origin,
      did: site.did,
      requestHash: approval.requestHash,
      presentationHash: await hashJson(presentation),
    });
    // The grant and the site's pointer to it land together or not at all.
    await this.ports.store.write([op, await wallet.pairwise.linkIdentityGrantOp(site, grant.id)]);
    return { did: site.did, presentation };
  }

  private async loginWithGrant(wallet: UnlockedWallet, { site, grant }: ConnectedSite, nonce: string): Promise<IdentityResult> {
    const presentation = await createLoginPresentation(await wallet.pairwise.signer(site), {
      did: site.did,
      origin: site.origin,
      nonce,
      now: this.ports.now(),
    });
    await wallet.grants.recordAccess(grant, await hashJson(presentation));
    return { did: site.did, presentation };
  }
}

interface ConnectedSite {
  site: PairwiseRecord;
  grant: GrantRecord;
}

function unwrapReply(reply: BackgroundReply): unknown {
  if (reply.ok) return reply.result;
  throw new WalletError(reply.error.code, reply.error.message);
}

