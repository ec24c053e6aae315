import type { RequestIdentityParams } from '../../protocol/rpc.ts';
import { requestPending } from '../../protocol/errors.ts';
import { randomId } from '../encoding.ts';
import type { SessionStore } from '../storage/ports.ts';
import { Mutex } from '../mutex.ts';
import type { ApprovalPresenter } from './ports.ts';

export interface PendingApproval {
  id: string;
  kind: 'identity';
  origin: string;
  /** The page request this approval answers. */
  requestId: string;
  params: RequestIdentityParams;
  requestHash: string;
  createdAt: number;
  windowId: number | null;
}

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
  open(input: Omit<PendingApproval, 'id' | 'createdAt' | 'windowId'>): Promise<PendingApproval> {
    return this.mutex.run(async () => {
      const all = await this.read();
      if (Object.values(all).some((a) => a.origin === input.origin && a.kind === input.kind)) {
        throw requestPending(input.kind);
      }
      const approval: PendingApproval = { ...input, id: randomId(), createdAt: this.now(), windowId: null };
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
