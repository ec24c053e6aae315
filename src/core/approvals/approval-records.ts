import type { SessionStore } from '../ports.ts';

/**
 * How the approval queue lies in session storage: each approval's content under its
 * own key, written once, plus one small ordered index of what changes (shown in which
 * window, being settled). A change rewrites the index only, never every approval's
 * page input (issue 6: one session key per approval).
 */
export const INDEX_KEY = 'approvals:index';
export const recordKey = (id: string) => `approval:${id}`;

/** One approval's place in the queue; the index lists them oldest first. */
export interface IndexEntry {
  id: string;
  origin: string;
  kind: string;
  createdAt: number;
  /** Shown to the user (a window was opened for it, or it is being settled in one). */
  shown: boolean;
  windowId: number | null;
  /** When a decision started settling it; null while it waits for the user. */
  claimedAt: number | null;
}

export class ApprovalRecords {
  constructor(private readonly session: SessionStore) {}

  async index(): Promise<IndexEntry[]> {
    return (await this.session.get<IndexEntry[]>(INDEX_KEY)) ?? [];
  }

  writeIndex(entries: readonly IndexEntry[]): Promise<void> {
    return this.session.set({ [INDEX_KEY]: entries });
  }

  record<T>(id: string): Promise<T | undefined> {
    return this.session.get<T>(recordKey(id));
  }

  /** The content and its index entry in one write, so neither exists without the other. */
  add(id: string, record: unknown, entries: readonly IndexEntry[]): Promise<void> {
    return this.session.set({ [recordKey(id)]: record, [INDEX_KEY]: entries });
  }

  /**
   * Drops approvals: their content first, then the index. A worker killed in between
   * leaves index entries without content, which readers skip and `reconcile` prunes;
   * never content that nothing lists (nothing could find it to remove it).
   */
  async delete(ids: readonly string[], remaining: readonly IndexEntry[]): Promise<void> {
    if (ids.length > 0) await this.session.remove(ids.map(recordKey));
    await this.writeIndex(remaining);
  }
}
