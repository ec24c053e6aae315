import type { RequestIdentityParams } from '../../protocol/rpc.ts';
import { requestPending } from '../../protocol/errors.ts';
import { randomId } from '../encoding.ts';
import type { SessionStore } from '../storage/ports.ts';
import { Mutex } from '../mutex.ts';
import type { ApprovalPresenter } from './ports.ts';

interface ApprovalHeader {
  id: string;
  origin: string;
  /** The page request this approval answers. */
  requestId: string;
  requestHash: string;
  createdAt: number;
  windowId: number | null;
}

/** What each kind of approval carries until the user decides (JSON, kept in session storage). */
export type ApprovalPayload =
  | { kind: 'identity'; params: RequestIdentityParams }
  /** The credential as offered; it is verified again when shown and when kept. */
  | { kind: 'offer'; credential: string }
  /** The checked OpenID4VP request (core/presentation's ParsedRequest), and the DC API protocol if any. */
  | { kind: 'credentials'; request: unknown; protocol: string | null };

export type PendingApproval = ApprovalHeader & ApprovalPayload;
export type ApprovalKind = PendingApproval['kind'];
export type NewApproval = Omit<ApprovalHeader, 'id' | 'createdAt' | 'windowId'> & ApprovalPayload;

const SESSION_KEY = 'approvals';
type ApprovalMap = Record<string, PendingApproval>;

/**
 * Pending approvals, persisted in session storage so a service-worker restart does
 * not lose them (MV3 kills idle workers). At most one per origin and kind.
 */
export class ApprovalQueue {
  private readonly mutex = new Mutex();

  constructor(
    private readonly session: SessionStore,
    private readonly presenter: ApprovalPresenter,
    private readonly now: () => number,
  ) {}

  /** Records the approval and shows it; -32002 if one of this kind from this origin waits already. */
  open(input: NewApproval): Promise<PendingApproval> {
    return this.mutex.run(async () => {
      const all = await this.read();
      if (Object.values(all).some((a) => a.origin === input.origin && a.kind === input.kind)) {
        throw requestPending(input.kind);
      }
      const approval = { ...input, id: randomId(), createdAt: this.now(), windowId: null } as PendingApproval;
      await this.write({ ...all, [approval.id]: approval });
      try {
        const { windowId } = await this.presenter.open(approval.id);
        approval.windowId = windowId;
        await this.write({ ...(await this.read()), [approval.id]: approval });
      } catch (error) {
        await this.removeUnlocked(approval.id);
        throw error;
      }
      return approval;
    });
  }

  async get(id: string): Promise<PendingApproval | undefined> {
    return (await this.read())[id];
  }

  /** Removes and returns an approval, so it is settled once only. */
  take(id: string): Promise<PendingApproval | undefined> {
    return this.mutex.run(() => this.removeUnlocked(id));
  }

  /** Removes and returns the approvals shown in a window that has closed. */
  takeByWindow(windowId: number): Promise<PendingApproval[]> {
    return this.mutex.run(async () => {
      const all = await this.read();
      const closed = Object.values(all).filter((a) => a.windowId === windowId);
      if (closed.length === 0) return [];
      for (const a of closed) delete all[a.id];
      await this.write(all);
      return closed;
    });
  }

  private async removeUnlocked(id: string): Promise<PendingApproval | undefined> {
    const all = await this.read();
    const found = all[id];
    if (!found) return undefined;
    delete all[id];
    await this.write(all);
    return found;
  }

  private async read(): Promise<ApprovalMap> {
    return (await this.session.get<ApprovalMap>(SESSION_KEY)) ?? {};
  }

  private write(all: ApprovalMap): Promise<void> {
    return this.session.set({ [SESSION_KEY]: all });
  }
}
