import type { RequestIdentityParams } from '../../protocol/rpc.ts';
import { randomId } from '../encoding.ts';
import { DomainError } from '../errors.ts';
import { Mutex } from '../mutex.ts';
import type { SessionStore } from '../ports.ts';
import { ApprovalRecords, type IndexEntry } from './approval-records.ts';
import type { ApprovalPresenter } from '../ports.ts';

/** Pending approvals across all origins; one more is refused as `pending` (a page cannot fill the session quota). */
export const MAX_PENDING_APPROVALS = 64;
/** An approval still pending this long after it was made is settled (rejected) by `reconcile`. */
export const APPROVAL_TTL_MS = 30 * 60_000;

interface ApprovalHeader {
  id: string;
  origin: string;
  /** The page request this approval answers. */
  requestId: string;
  requestHash: string;
  createdAt: number;
  /** The window showing it; null while it waits its turn in the queue. */
  windowId: number | null;
}

/** What each kind of approval carries until the user decides (JSON, kept in session storage). */
export type ApprovalPayload =
  | { kind: 'identity'; params: RequestIdentityParams }
  /** The credential as offered; it is verified again when shown and when kept. */
  | { kind: 'offer'; credential: string }
  /** The checked OpenID4VP request (core/presentation's ParsedRequest), and the DC API protocol if any. */
  | { kind: 'credentials'; request: unknown; protocol: string | null }
  /** A checked data-access request (core/wallet's DataAccessRequest). */
  | { kind: 'data-access'; request: unknown }
  /** An OpenID4VCI credential offer (core/wallet's IssuanceRequest: the offer, and what was fetched to show it). */
  | { kind: 'issuance'; issuance: unknown };

export type PendingApproval = ApprovalHeader & ApprovalPayload;
export type ApprovalKind = PendingApproval['kind'];
export type NewApproval = Omit<ApprovalHeader, 'id' | 'createdAt' | 'windowId'> & ApprovalPayload;

/**
 * Pending approvals, persisted in session storage so a service-worker restart does
 * not lose them (MV3 kills idle workers). At most one per origin and kind, at most
 * MAX_PENDING_APPROVALS in all, and one shown at a time across all origins: the rest
 * wait their turn, oldest first.
 *
 * Settling is claim → store the reply → remove, so an approval leaves only once its
 * answer is safe; a worker that dies in between leaves a claim that `reconcile` finds.
 */
export class ApprovalQueue {
  private readonly mutex = new Mutex();
  private readonly records: ApprovalRecords;
  /** Claims this worker made. A claim in storage that is not here is a worker's that died mid-settle. */
  private readonly liveClaims = new Set<string>();

  constructor(
    session: SessionStore,
    private readonly presenter: ApprovalPresenter,
    private readonly now: () => number,
  ) {
    this.records = new ApprovalRecords(session);
  }

  /**
   * Records the approval and shows it if no other is shown, else queues it (windowId
   * null). `pending` if one of this kind from this origin waits already, or the queue
   * is full. If showing it fails, it is dropped and the presenter's error thrown.
   */
  open(input: NewApproval): Promise<PendingApproval> {
    return this.mutex.run(async () => {
      const index = await this.records.index();
      if (index.some((e) => e.origin === input.origin && e.kind === input.kind)) {
        throw new DomainError('pending', `A ${input.kind} request from this origin is already pending; wait for it to finish.`);
      }
      if (index.length >= MAX_PENDING_APPROVALS) {
        throw new DomainError('pending', 'Too many requests are waiting for the user; try again later.');
      }
      const approval = { ...input, id: randomId(), createdAt: this.now(), windowId: null } as PendingApproval;
      const entry: IndexEntry = {
        id: approval.id,
        origin: approval.origin,
        kind: approval.kind,
        createdAt: approval.createdAt,
        shown: false,
        windowId: null,
        claimedAt: null,
      };
      await this.records.add(approval.id, approval, [...index, entry]);
      const failures = await this.presentNext();
      if (failures.has(approval.id)) {
        await this.deleteUnlocked([approval.id]);
        throw failures.get(approval.id);
      }
      const placed = (await this.records.index()).find((e) => e.id === approval.id);
      return { ...approval, windowId: placed?.windowId ?? null };
    });
  }

  /** Whether one of this kind from this origin waits already (a cheap check before any other work; `open` decides). */
  async hasPending(origin: string, kind: ApprovalKind): Promise<boolean> {
    return (await this.records.index()).some((e) => e.origin === origin && e.kind === kind);
  }

  /** The pending approval (claimed or not), or undefined once it has been removed. */
  async get(id: string): Promise<PendingApproval | undefined> {
    const entry = (await this.records.index()).find((e) => e.id === id);
    return entry && this.withContent(entry);
  }

  /** Marks the approval as being settled and returns it; undefined if it is gone or claimed already. */
  claim(id: string): Promise<PendingApproval | undefined> {
    return this.mutex.run(async () => {
      const index = await this.records.index();
      const entry = index.find((e) => e.id === id);
      if (!entry || entry.claimedAt !== null) return undefined;
      const approval = await this.withContent(entry);
      if (!approval) return undefined;
      entry.claimedAt = this.now();
      await this.records.writeIndex(index);
      this.liveClaims.add(id);
      return approval;
    });
  }

  /**
   * Un-claims an approval whose decision was refused (e.g. an invalid selection): it
   * is pending again. If its window closed meanwhile, it is queued to be shown again.
   */
  release(id: string): Promise<void> {
    return this.mutex.run(async () => {
      this.liveClaims.delete(id);
      const index = await this.records.index();
      const entry = index.find((e) => e.id === id);
      if (!entry || entry.claimedAt === null) return;
      entry.claimedAt = null;
      await this.records.writeIndex(index);
      if (!entry.shown) await this.presentNext();
    });
  }

  /** Removes a settled approval (call it once the reply is stored) and shows the next one waiting. */
  remove(id: string): Promise<void> {
    return this.mutex.run(async () => {
      if (await this.deleteUnlocked([id])) await this.presentNext();
    });
  }

  /**
   * The window closed: removes and returns its approvals that nobody is settling (the
   * caller rejects them), and shows the next one waiting. One being settled stays
   * until it is removed (or released: then it is shown again).
   */
  takeByWindow(windowId: number): Promise<PendingApproval[]> {
    return this.mutex.run(async () => {
      const index = await this.records.index();
      const inWindow = index.filter((e) => e.shown && e.windowId === windowId);
      if (inWindow.length === 0) return [];
      const taken: PendingApproval[] = [];
      for (const entry of inWindow) {
        if (entry.claimedAt === null) {
          const approval = await this.withContent(entry);
          if (approval) taken.push(approval);
        }
        entry.shown = false;
        entry.windowId = null;
      }
      const takenIds = inWindow.filter((e) => e.claimedAt === null).map((e) => e.id);
      await this.records.delete(takenIds, index.filter((e) => !takenIds.includes(e.id)));
      await this.presentNext();
      return taken;
    });
  }

  /**
   * Run at worker start: removes and returns the approvals that can no longer settle
   * on their own (the caller rejects them): shown in a window that is gone, older than
   * APPROVAL_TTL_MS, or claimed by a worker that died before removing them. Entries
   * whose content is missing (a worker killed mid-removal) are pruned silently. Then
   * shows the next one waiting if none is shown.
   */
  reconcile(): Promise<PendingApproval[]> {
    return this.mutex.run(async () => {
      const index = await this.records.index();
      const now = this.now();
      const kept: IndexEntry[] = [];
      const dropped: PendingApproval[] = [];
      for (const entry of index) {
        const approval = await this.withContent(entry);
        if (approval && !(await this.cannotSettle(entry, now))) kept.push(entry);
        else if (approval) dropped.push(approval);
      }
      if (kept.length < index.length) {
        const keptIds = new Set(kept.map((e) => e.id));
        await this.records.delete(index.filter((e) => !keptIds.has(e.id)).map((e) => e.id), kept);
      }
      await this.presentNext();
      return dropped;
    });
  }

  private async cannotSettle(entry: IndexEntry, now: number): Promise<boolean> {
    if (this.liveClaims.has(entry.id)) return false;
    if (entry.claimedAt !== null) return true;
    if (now - entry.createdAt >= APPROVAL_TTL_MS) return true;
    if (!entry.shown) return false;
    return entry.windowId === null || !(await this.presenter.isOpen(entry.windowId));
  }

  /**
   * Shows the oldest waiting approval unless one is shown. One the presenter fails to
   * show stays queued (it is tried again on the next change) and the next is tried.
   * Returns the presenter's errors by approval id.
   */
  private async presentNext(): Promise<Map<string, unknown>> {
    const failures = new Map<string, unknown>();
    const index = await this.records.index();
    if (index.some((e) => e.shown)) return failures;
    for (const entry of index) {
      if (entry.claimedAt !== null) continue;
      try {
        const { windowId } = await this.presenter.open(entry.id);
        entry.shown = true;
        entry.windowId = windowId;
        await this.records.writeIndex(index);
        return failures;
      } catch (error) {
        failures.set(entry.id, error);
      }
    }
    return failures;
  }

  /** Drops approvals by id; whether any was pending. */
  private async deleteUnlocked(ids: readonly string[]): Promise<boolean> {
    for (const id of ids) this.liveClaims.delete(id);
    const index = await this.records.index();
    const remaining = index.filter((e) => !ids.includes(e.id));
    if (remaining.length === index.length) return false;
    await this.records.delete(
      index.filter((e) => ids.includes(e.id)).map((e) => e.id),
      remaining,
    );
    return true;
  }

  private async withContent(entry: IndexEntry): Promise<PendingApproval | undefined> {
    const content = await this.records.record<PendingApproval>(entry.id);
    return content && { ...content, windowId: entry.windowId };
  }
}
