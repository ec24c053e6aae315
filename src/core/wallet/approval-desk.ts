import type { ApprovalLookup, CredentialSelection } from '../../protocol/internal.ts';
import { ApprovalQueue, type ApprovalKind, type NewApproval, type PendingApproval } from '../approvals/approval-queue.ts';
import { RequestReplies } from '../approvals/request-replies.ts';
import { DomainError, isDomainError } from '../errors.ts';
import type { WalletPorts } from '../ports.ts';
import type { ApprovalKindHandler } from './approval-kinds.ts';
import { failureReply, unwrapReply, type SiteReply } from './site-reply.ts';
import type { WalletSession } from './wallet-session.ts';

type HandlerLoader = () => Promise<ApprovalKindHandler>;

/**
 * Where page requests wait for the user: it records each request, shows its approval,
 * and settles it exactly once — storing the reply before the approval is removed, so
 * a worker stopped mid-decision never leaves a page waiting forever.
 */
export class ApprovalDesk {
  readonly queue: ApprovalQueue;
  readonly replies: RequestReplies<SiteReply>;
  private readonly handlers = new Map<ApprovalKind, HandlerLoader>();

  constructor(
    ports: WalletPorts,
    private readonly session: WalletSession,
  ) {
    this.queue = new ApprovalQueue(ports.session, ports.presenter, ports.now);
    this.replies = new RequestReplies<SiteReply>(ports.session, ports.now);
  }

  /** Registers a kind; its handler may load lazily (the credential kinds do). */
  register<K extends ApprovalKind>(kind: K, load: () => Promise<ApprovalKindHandler<K>>): void {
    this.handlers.set(kind, load as unknown as HandlerLoader);
  }

  /** Records the request, shows its approval and waits for the answer. */
  async ask(requestId: string, approval: NewApproval): Promise<unknown> {
    await this.replies.expect(requestId, approval.origin);
    try {
      await this.queue.open(approval);
    } catch (error) {
      await this.replies.forget(requestId);
      throw error;
    }
    return this.awaitReply(approval.origin, requestId);
  }

  async awaitReply(origin: string, requestId: string): Promise<unknown> {
    return unwrapReply(await this.replies.wait(requestId, origin));
  }

  /**
   * Re-attach to a request whose message channel broke (service-worker restart): its
   * answer (a stored error is thrown), or null when the worker never saw the request
   * or already answered it.
   */
  async reattach(origin: string, requestId: string): Promise<{ result: unknown } | null> {
    let reply: SiteReply;
    try {
      reply = await this.replies.wait(requestId, origin);
    } catch (error) {
      if (isDomainError(error) && error.code === 'not_found') return null;
      throw error;
    }
    return { result: unwrapReply(reply) };
  }

  /** What the approval window shows. */
  async lookup(approvalId: string): Promise<ApprovalLookup> {
    const approval = await this.queue.get(approvalId);
    if (!approval) return { state: 'settled' };
    const wallet = await this.session.current();
    if (!wallet) return { state: 'locked', origin: approval.origin, kind: approval.kind };
    const handler = await this.handler(approval.kind);
    let shown: Awaited<ReturnType<ApprovalKindHandler['view']>>;
    try {
      shown = await handler.view(wallet, approval);
    } catch (error) {
      // E.g. an offer that no longer verifies once unlocked: the site hears why.
      if (!isDomainError(error)) throw error;
      await this.settle(approvalId, () => Promise.reject(error));
      return { state: 'settled' };
    }
    if ('answerNow' in shown) {
      await this.settle(approvalId, shown.answerNow);
      return { state: 'settled' };
    }
    return { state: 'pending', approval: shown.show };
  }

  async resolve(approvalId: string, decision: 'approve' | 'reject', selection?: CredentialSelection): Promise<void> {
    if (decision === 'reject') {
      let rejected: PendingApproval | undefined;
      await this.settle(approvalId, (approval) => {
        rejected = approval;
        return Promise.reject(new DomainError('user_rejected', 'User rejected the request.'));
      });
      const wallet = await this.session.current();
      if (rejected && wallet) await (await this.handler(rejected.kind)).rejected?.(wallet, rejected);
      return;
    }
    const wallet = await this.session.require();
    await this.session.touch();
    const pending = await this.queue.get(approvalId);
    if (!pending) throw notPending();
    const handler = await this.handler(pending.kind);
    await this.settle(approvalId, (approval) => handler.approve(wallet, approval, selection), { keepPendingOnInvalidInput: true });
  }

  /** The approval window was closed without a decision: a rejection ('locked' if still locked). */
  async windowClosed(windowId: number): Promise<void> {
    const closed = await this.queue.takeByWindow(windowId);
    if (closed.length === 0) return;
    await this.rejectAll(closed, 'User closed the request window.');
    // Closing the window is the user's rejection: each kind records it as for the reject button (e.g. the requester check, §8).
    const wallet = await this.session.current();
    if (wallet) for (const approval of closed) await (await this.handler(approval.kind)).rejected?.(wallet, approval);
  }

  /** At worker start: approvals whose window is gone, that outlived their time, or were cut off mid-settle. */
  async reconcile(): Promise<void> {
    const stale = await this.queue.reconcile();
    if (stale.length > 0) await this.rejectAll(stale, 'The request window is gone.');
  }

  private async rejectAll(approvals: PendingApproval[], message: string): Promise<void> {
    const locked = (await this.session.current()) === null;
    const error = locked
      ? new DomainError('locked', 'The wallet is locked and the user dismissed unlocking it.')
      : new DomainError('user_rejected', message);
    for (const approval of approvals) await this.replies.complete(approval.requestId, failureReply(error));
  }

  /**
   * Claims the approval (so it settles once), computes the answer, stores the reply,
   * then removes the approval. A choice the user must correct (`invalid_input`) is
   * thrown back to the window and leaves the request pending.
   */
  private async settle(
    approvalId: string,
    answer: (approval: PendingApproval) => Promise<unknown>,
    { keepPendingOnInvalidInput = false } = {},
  ): Promise<void> {
    const approval = await this.queue.claim(approvalId);
    if (!approval) throw notPending();
    let reply: SiteReply;
    try {
      reply = { ok: true, result: await answer(approval) };
    } catch (error) {
      if (keepPendingOnInvalidInput && isDomainError(error) && error.code === 'invalid_input') {
        await this.queue.release(approvalId);
        throw error;
      }
      reply = failureReply(error);
    }
    await this.replies.complete(approval.requestId, reply);
    await this.queue.remove(approvalId);
  }

  private async handler(kind: ApprovalKind): Promise<ApprovalKindHandler> {
    const load = this.handlers.get(kind);
    if (!load) throw new DomainError('internal', `No approval kind '${kind}' is registered.`);
    return load();
  }
}

const notPending = () => new DomainError('not_found', 'This request is no longer pending.');

