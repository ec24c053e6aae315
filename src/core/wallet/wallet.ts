import type { BackgroundReply } from '../../protocol/envelope.ts';
import { WalletError, toRpcError, userRejected, walletLocked } from '../../protocol/errors.ts';
import type { ApprovalLookup, CredentialSelection, GrantView, WalletStateView } from '../../protocol/internal.ts';
import type { DcApiProtocol } from '../../protocol/dc-api.ts';
import type { CredentialsResult, IdentityResult, OfferCredentialParams, RequestIdentityParams, SiteGrantView } from '../../protocol/rpc.ts';
import { ApprovalQueue, type NewApproval, type PendingApproval } from '../approvals/approval-queue.ts';
import type { CredentialFlows } from './credential-flows.ts';
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
  private flows: Promise<CredentialFlows> | null = null;

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
    if (approval.kind === 'identity') return this.identityApproval(wallet, approval);
    const flows = await this.credentialFlows();
    try {
      return { state: 'pending', approval: await flows.approvalView(wallet, approval) };
    } catch (error) {
      // An offer that no longer verifies (checked again once unlocked): the site hears why.
      if (!isSiteFacing(error)) throw error;
      await this.settle(approval.id, () => Promise.reject(error));
      return { state: 'settled' };
    }
  }

  async resolveApproval(approvalId: string, decision: 'approve' | 'reject', selection?: CredentialSelection): Promise<void> {
    const pending = await this.approvals.get(approvalId);
    if (!pending) throw new CoreError('not_found', 'This request is no longer pending.');
    if (decision === 'reject') {
      await this.settle(approvalId, () => Promise.reject(userRejected()));
      return;
    }
    const wallet = await this.session.require();
    await this.session.touch();
    switch (pending.kind) {
      case 'identity':
        await this.settle(approvalId, (approval) => this.approveIdentity(wallet, approval as IdentityApproval));
        return;
      case 'offer': {
        const flows = await this.credentialFlows();
        await this.settle(approvalId, () => flows.keepOffer(wallet, pending));
        return;
      }
      case 'credentials': {
        // A selection the user must correct (e.g. an unconfirmed warning) leaves the request pending.
        const answer = await (await this.credentialFlows()).share(wallet, pending, selection);
        await this.settle(approvalId, async () => answer);
        return;
      }
    }
  }

  /** The approval window was closed without a decision: a rejection (4900 if still locked). */
  async windowClosed(windowId: number): Promise<void> {
    const closed = await this.approvals.takeByWindow(windowId);
    if (closed.length === 0) return;
    const locked = (await this.session.current()) === null;
    const error = (locked ? walletLocked() : userRejected('User closed the request window.')).toJSON();
    for (const approval of closed) await this.replies.complete(approval.requestId, { ok: false, error });
  }

  private async identityApproval(wallet: UnlockedWallet, approval: IdentityApproval): Promise<ApprovalLookup> {
    const site = await wallet.pairwise.find(approval.origin);
    // Unlocking may reveal that the site is connected already: answer it silently.
    const connected = await this.connectedSite(wallet, approval.origin, site);
    if (connected) {
      await this.settle(approval.id, () => this.loginWithGrant(wallet, connected, approval.params.nonce));
      return { state: 'settled' };
    }
    return {
      state: 'pending',
      approval: {
        id: approval.id,
        kind: 'identity',
        origin: approval.origin,
        createdAt: new Date(approval.createdAt).toISOString(),
        pairwiseDid: site?.did ?? null,
      },
    };
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
    return (await this.askUser(requestId, { kind: 'identity', origin, requestId, params, requestHash })) as IdentityResult;
  }

  /**
   * A site offers a credential. When unlocked it is verified at once (a bad one is
   * refused with a precise -32602 and no window); when locked, after unlocking.
   */
  async offerCredential(origin: string, requestId: string, params: OfferCredentialParams): Promise<{ id: string }> {
    const wallet = await this.session.current();
    if (wallet) await (await this.credentialFlows()).verifyOffer(wallet, params.credential);
    const requestHash = await hashJson({ method: 'wallet_offerCredential', origin, params });
    return (await this.askUser(requestId, { kind: 'offer', origin, requestId, requestHash, credential: params.credential })) as {
      id: string;
    };
  }

  /**
   * A site asks for credentials (OpenID4VP + DCQL). Protocol errors answer
   * `invalid_request` without a window; otherwise the user always decides, even when
   * nothing matches (so a site cannot probe what the wallet holds).
   */
  async requestCredentials(origin: string, requestId: string, protocol: DcApiProtocol | null, data: Record<string, unknown>): Promise<CredentialsResult> {
    const flows = await this.credentialFlows();
    const parsed = await flows.parseRequest(origin, protocol, data);
    if ('error' in parsed) return parsed;
    const requestHash = await hashJson({ method: 'wallet_requestCredentials', origin, protocol, data });
    return (await this.askUser(requestId, { kind: 'credentials', origin, requestId, requestHash, request: parsed.request, protocol })) as CredentialsResult;
  }

  /** Records the request, shows the approval and waits for the answer. */
  private async askUser(requestId: string, approval: NewApproval): Promise<unknown> {
    await this.replies.expect(requestId, approval.origin);
    try {
      await this.approvals.open(approval);
    } catch (error) {
      await this.replies.forget(requestId);
      throw error;
    }
    return unwrapReply(await this.replies.wait(requestId, approval.origin));
  }

  /** The scheduled status check: re-checks held credentials whose status list ttl has passed. */
  async refreshCredentialStatuses(): Promise<void> {
    const wallet = await this.session.current();
    if (!wallet) return;
    await (await this.credentialFlows()).refreshDueStatuses(wallet);
  }

  /** The credential use cases, loaded on first use so the worker starts without them. */
  credentialFlows(): Promise<CredentialFlows> {
    this.flows ??= import('./credential-flows.ts').then((m) => new m.CredentialFlows(this.ports));
    return this.flows;
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
  private async connectedSite(
    wallet: UnlockedWallet,
    origin: string,
    known?: PairwiseRecord,
  ): Promise<ConnectedSite | undefined> {
    const site = known ?? (await wallet.pairwise.find(origin));
    const grant = site?.identityGrantId ? await wallet.grants.active(site.identityGrantId) : undefined;
    return site && grant ? { site, grant } : undefined;
  }

  private async approveIdentity(wallet: UnlockedWallet, approval: IdentityApproval): Promise<IdentityResult> {
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

type IdentityApproval = Extract<PendingApproval, { kind: 'identity' }>;

/** Errors whose code and message the requesting site may see (precise refusals). */
function isSiteFacing(error: unknown): error is WalletError {
  return error instanceof WalletError;
}

interface ConnectedSite {
  site: PairwiseRecord;
  grant: GrantRecord;
}

function unwrapReply(reply: BackgroundReply): unknown {
  if (reply.ok) return reply.result;
  throw new WalletError(reply.error.code, reply.error.message);
}

