import type { ApprovalView, CredentialSelection } from '../../protocol/internal.ts';
import type { UnlockedWallet } from './wallet-session.ts';
import type { ApprovalKind, PendingApproval } from '../approvals/approval-queue.ts';

export type ApprovalOf<K extends ApprovalKind> = Extract<PendingApproval, { kind: K }>;

/** What every approval view starts with: which approval, from whom, since when. */
export function approvalHeader<K extends ApprovalKind>(approval: ApprovalOf<K>): { id: string; kind: K; origin: string; createdAt: string } {
  return { id: approval.id, kind: approval.kind as K, origin: approval.origin, createdAt: new Date(approval.createdAt).toISOString() };
}

/** What the window shows, or an answer that settles the approval at once (nothing left to ask). */
export type ApprovalShown = { show: ApprovalView } | { answerNow: () => Promise<unknown> };

/**
 * One kind of approval, registered once with the approval desk (DESIGN.md §2: an
 * approval kind is one registration, not an edit in every switch). A DomainError
 * from `view` settles the approval with that error (the site hears it); one from
 * `approve` does too, except `invalid_input`, which leaves the request pending for
 * the user to correct their choice.
 */
export interface ApprovalKindHandler<K extends ApprovalKind = ApprovalKind> {
  kind: K;
  view(wallet: UnlockedWallet, approval: ApprovalOf<K>): Promise<ApprovalShown>;
  approve(wallet: UnlockedWallet, approval: ApprovalOf<K>, selection: CredentialSelection | undefined): Promise<unknown>;
  /** After the user rejected it (the site has its answer): what the kind records of a refusal. */
  rejected?(wallet: UnlockedWallet, approval: ApprovalOf<K>): Promise<void>;
}
