import type { IdentityPreview } from '../../protocol/approval-preview.ts';

/** What the preview needs to know of a pending approval and of the lock. */
export interface PreviewSources {
  approval(approvalId: string): Promise<{ kind: string; origin: string; createdAt: number } | undefined>;
  unlocked(): Promise<boolean>;
}

/**
 * The preview of an approval about to be shown (protocol/approval-preview.ts): a
 * login's header while the wallet is unlocked, nothing otherwise (a locked wallet's
 * window shows the unlock form; other kinds need their look-up). Both reads are
 * answered from the session store's copies, so opening the window waits for no I/O.
 */
export function loginPreview(sources: PreviewSources): (approvalId: string) => Promise<IdentityPreview | null> {
  return async (approvalId) => {
    const approval = await sources.approval(approvalId);
    if (approval?.kind !== 'identity' || !(await sources.unlocked())) return null;
    return { kind: 'identity', origin: approval.origin, createdAt: new Date(approval.createdAt).toISOString() };
  };
}
