import * as v from 'valibot';

/**
 * Commands from the extension's own pages (onboarding, approval window, popup,
 * dashboard) to the background. The background accepts them only from pages of
 * this extension (the trusted router); a website can never send them.
 */
export const PASSWORD_MIN_LENGTH = 8;
const Password = v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(1024));
const NewPassword = v.pipe(
  v.string('must be a string'),
  v.minLength(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`),
  v.maxLength(1024, 'must be at most 1024 characters'),
);
const Id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be an id'));

export const AUTO_LOCK_MIN_MINUTES = 1;
export const AUTO_LOCK_MAX_MINUTES = 24 * 60;
export const AUTO_LOCK_DEFAULT_MINUTES = 15;

export const UiCommandSchema = v.variant('command', [
  v.strictObject({ command: v.literal('getState') }),
  v.strictObject({ command: v.literal('createWallet'), password: NewPassword }),
  v.strictObject({ command: v.literal('unlock'), password: Password }),
  v.strictObject({ command: v.literal('lock') }),
  v.strictObject({ command: v.literal('changePassword'), currentPassword: Password, newPassword: NewPassword }),
  v.strictObject({
    command: v.literal('setAutoLock'),
    minutes: v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number of minutes'),
      v.minValue(AUTO_LOCK_MIN_MINUTES, `must be at least ${AUTO_LOCK_MIN_MINUTES}`),
      v.maxValue(AUTO_LOCK_MAX_MINUTES, `must be at most ${AUTO_LOCK_MAX_MINUTES}`),
    ),
  }),
  v.strictObject({ command: v.literal('getApproval'), approvalId: Id }),
  v.strictObject({
    command: v.literal('resolveApproval'),
    approvalId: Id,
    decision: v.picklist(['approve', 'reject']),
  }),
  v.strictObject({ command: v.literal('listGrants') }),
  v.strictObject({ command: v.literal('revokeGrant'), grantId: Id }),
]);
export type UiCommand = v.InferOutput<typeof UiCommandSchema>;
export type UiCommandName = UiCommand['command'];

/** Stable codes the UI branches on. */
export type UiErrorCode =
  | 'invalid_input'
  | 'not_initialized'
  | 'already_initialized'
  | 'locked'
  | 'wrong_password'
  | 'throttled'
  | 'not_found'
  | 'internal';

export interface UiError {
  code: UiErrorCode;
  message: string;
  /** For `throttled` and `wrong_password`: when the next attempt is allowed. */
  retryAfterMs?: number;
}

export type UiReply<T> = { ok: true; value: T } | { ok: false; error: UiError };

export interface WalletStateView {
  initialized: boolean;
  unlocked: boolean;
  autoLockMinutes: number;
  /** Milliseconds until another unlock attempt is allowed (0 = now). */
  unlockRetryAfterMs: number;
}

export interface ApprovalView {
  id: string;
  kind: 'identity';
  origin: string;
  createdAt: string;
  /** The site's pairwise DID if it already has one; otherwise a new one is made on approval. */
  pairwiseDid: string | null;
}

/** `getApproval` answer: the request, or that it is already settled (the window should close). */
export type ApprovalLookup =
  | { state: 'pending'; approval: ApprovalView }
  | { state: 'settled' }
  | { state: 'locked'; origin: string; kind: 'identity' };

export interface GrantEventView {
  type: 'requested' | 'given' | 'accessed' | 'withdrawn' | 'expired';
  at: string;
  actor: 'holder' | 'requester' | 'wallet';
}

export interface GrantView {
  id: string;
  kind: 'identity' | 'data';
  origin: string;
  did: string;
  purposes: string[];
  createdAt: string;
  expiresAt: string | null;
  status: 'active' | 'revoked' | 'expired';
  events: GrantEventView[];
}

/** What each command answers. */
export interface UiResults {
  getState: WalletStateView;
  createWallet: WalletStateView;
  unlock: WalletStateView;
  lock: WalletStateView;
  changePassword: { changed: true };
  setAutoLock: WalletStateView;
  getApproval: ApprovalLookup;
  resolveApproval: { resolved: true };
  listGrants: GrantView[];
  revokeGrant: GrantView;
}

/** The runtime message that carries a UI command. */
export interface UiMessage {
  channel: 'ui';
  body: UiCommand;
}
