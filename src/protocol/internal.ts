import * as v from 'valibot';
import type { ApprovalLookup } from './approval-views.ts';
import { ANCHOR_EVERY_ENTRIES_MAX, ANCHOR_EVERY_MINUTES_MAX, ANCHOR_EVERY_MINUTES_MIN, type AnchoringView } from './anchoring-views.ts';
import type {
  ActivityPageView,
  CredentialDetailView,
  CredentialView,
  DeletionRequestView,
  GrantView,
  LedgerIntegrityView,
  ReceiptView,
  TrustedIssuerView,
} from './holder-views.ts';
import type { AccreditorView, ResearchPolicyView } from './research-views.ts';
import type { BackupExportView, BackupRestoreView, BackupStatusView } from './backup-views.ts';

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
const ClaimPath = v.pipe(
  v.array(v.union([v.pipe(v.string(), v.maxLength(256)), v.pipe(v.number(), v.integer(), v.minValue(0))]), 'must be a claim path'),
  v.minLength(1, 'must not be empty'),
  v.maxLength(16, 'is too deep'),
);
/** What the user chose in a credentials consent: per DCQL query, one credential and the claims to disclose. */
const CredentialSelection = v.strictObject({
  queries: v.record(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a DCQL query id')),
    v.strictObject({ credentialId: Id, claims: v.pipe(v.array(ClaimPath), v.maxLength(256)) }),
  ),
  /** The user saw the warning that a credential's status could not be checked, and shares anyway. */
  acceptUnknownStatus: v.optional(v.boolean()),
  /**
   * Data access: the purposes asked to be consented separately (AI model training)
   * that the user ticked. One not listed is left out of the grant.
   */
  separatePurposes: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(128))), v.maxLength(16))),
  /** OpenID4VCI: the transaction code the user typed (sent to them by the issuer). */
  txCode: v.optional(v.pipe(v.string(), v.maxLength(64, 'must be at most 64 characters'))),
});
export type CredentialSelection = v.InferOutput<typeof CredentialSelection>;
const CategoryName = v.pipe(v.string('must be a string'), v.regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a category name (lower-case letters, digits, -)'));
const DidString = v.pipe(v.string('must be a string'), v.regex(/^did:[a-z0-9]+:\S{1,2000}$/, 'must be a DID'));
const CredentialText = v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(65536, 'is too large (over 64 KiB)'));

/** A backup file's size cap (a runtime message carries at most 64 MiB). */
export const BACKUP_FILE_MAX_CHARS = 48 * 1024 * 1024;

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
    /** Credentials consent only. */
    selection: v.optional(CredentialSelection),
  }),
  v.strictObject({ command: v.literal('listGrants') }),
  v.strictObject({ command: v.literal('revokeGrant'), grantId: Id }),
  v.strictObject({ command: v.literal('listCredentials') }),
  v.strictObject({ command: v.literal('getCredential'), credentialId: Id }),
  v.strictObject({ command: v.literal('deleteCredential'), credentialId: Id }),
  v.strictObject({ command: v.literal('importCredential'), credential: CredentialText }),
  /** An OpenID4VCI credential offer pasted in the dashboard (its URI or JSON): opens the issuance window, answers once decided. */
  v.strictObject({ command: v.literal('openCredentialOffer'), offer: CredentialText }),
  v.strictObject({ command: v.literal('refreshCredentialStatus'), credentialId: Id }),
  v.strictObject({ command: v.literal('listTrustedIssuers') }),
  v.strictObject({
    command: v.literal('addTrustedIssuer'),
    did: DidString,
    label: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(80, 'must be at most 80 characters')),
  }),
  v.strictObject({ command: v.literal('removeTrustedIssuer'), did: DidString }),
  /** The accreditation trust list (§8), separate from the credential issuers. */
  v.strictObject({ command: v.literal('listAccreditors') }),
  v.strictObject({
    command: v.literal('addAccreditor'),
    did: DidString,
    label: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(80, 'must be at most 80 characters')),
  }),
  v.strictObject({ command: v.literal('removeAccreditor'), did: DidString }),
  /** The data categories and which of them are never shared with an unverified requester. */
  v.strictObject({ command: v.literal('getResearchPolicy') }),
  v.strictObject({
    command: v.literal('setResearchPolicy'),
    categories: v.pipe(
      v.array(
        v.strictObject({
          name: CategoryName,
          typePatterns: v.pipe(v.array(v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(256, 'is too long'))), v.maxLength(64, 'has too many patterns')),
        }),
      ),
      v.maxLength(32, 'has too many categories'),
    ),
    sensitive: v.pipe(v.array(CategoryName), v.maxLength(32, 'has too many categories')),
  }),
  /** Sets a credential's categories by hand (null: follow the policy again). */
  v.strictObject({
    command: v.literal('setCredentialCategories'),
    credentialId: Id,
    categories: v.nullable(v.pipe(v.array(CategoryName), v.maxLength(32, 'has too many categories'))),
  }),
  /** The receipt of a grant and, once anchored, its proof (download `receipt-<id>`). */
  v.strictObject({ command: v.literal('getReceipt'), grantId: Id }),
  /** A deletion request (GDPR Art. 17) signed by the grant's pairwise DID, citing grant and receipt. */
  v.strictObject({ command: v.literal('createDeletionRequest'), grantId: Id }),
  /** The activity timeline, newest first, paged and filtered. */
  v.strictObject({
    command: v.literal('listActivity'),
    offset: v.pipe(v.number(), v.integer(), v.minValue(0)),
    limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(500)),
    origin: v.optional(v.pipe(v.string(), v.maxLength(2048))),
    kind: v.optional(v.pipe(v.string(), v.maxLength(64))),
  }),
  /** Recompute the ledger's chain and root (`ledger-integrity`). */
  v.strictObject({ command: v.literal('verifyLedger') }),
  /** Delete one entry's payload and salt; the entry stays so the chain and proofs stay valid. */
  v.strictObject({ command: v.literal('deleteActivityPayload'), seq: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  /** Everything the wallet knows about the user, as structured JSON (GDPR Art. 15/20). */
  v.strictObject({ command: v.literal('exportData') }),
  v.strictObject({ command: v.literal('getAnchoring') }),
  v.strictObject({
    command: v.literal('setAnchoring'),
    enabled: v.boolean('must be true or false'),
    /** Both required to turn anchoring on; turning it off without them keeps the stored ones. */
    rpcUrl: v.optional(v.pipe(v.string('must be a string'), v.maxLength(2048, 'is too long'), v.url('must be a URL'))),
    contract: v.optional(v.pipe(v.string('must be a string'), v.regex(/^0x[0-9a-fA-F]{40}$/, 'must be a contract address (0x and 40 hex digits)'))),
    everyEntries: v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'), v.maxValue(ANCHOR_EVERY_ENTRIES_MAX, `must be at most ${ANCHOR_EVERY_ENTRIES_MAX}`)),
    everyMinutes: v.pipe(
      v.number(),
      v.integer('must be a whole number'),
      v.minValue(ANCHOR_EVERY_MINUTES_MIN, `must be at least ${ANCHOR_EVERY_MINUTES_MIN}`),
      v.maxValue(ANCHOR_EVERY_MINUTES_MAX, `must be at most ${ANCHOR_EVERY_MINUTES_MAX}`),
    ),
  }),
  v.strictObject({ command: v.literal('anchorNow') }),
  /** Encrypted backup (issue 10 part 4): the reminder's state, an export under a passphrase, a restore from a file. */
  v.strictObject({ command: v.literal('getBackupStatus') }),
  v.strictObject({ command: v.literal('exportBackup'), password: Password, passphrase: NewPassword }),
  v.strictObject({
    command: v.literal('restoreBackup'),
    file: v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(BACKUP_FILE_MAX_CHARS, 'is too large for a backup')),
    passphrase: Password,
    newPassword: NewPassword,
    overwrite: v.boolean('must be true or false'),
  }),
  v.strictObject({ command: v.literal('retryAnchorTransaction'), transactionId: Id }),
]);
export type UiCommand = v.InferOutput<typeof UiCommandSchema>;
export type UiCommandName = UiCommand['command'];

/** Stable codes the UI branches on. */
export type UiErrorCode =
  | 'invalid_input'
  | 'invalid_request'
  | 'user_rejected'
  | 'pending'
  | 'unauthorized'
  | 'not_initialized'
  | 'already_initialized'
  | 'locked'
  | 'wrong_password'
  | 'throttled'
  | 'not_found'
  /** A credential was refused (bad signature, expired, not bound to this wallet, …). */
  | 'invalid_credential'
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

export type * from './approval-views.ts';
export type * from './holder-views.ts';
export * from './anchoring-views.ts';
export type * from './research-views.ts';
export type * from './backup-views.ts';
export type { ReceiptProof } from './receipt-proof.ts';

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
  listCredentials: CredentialView[];
  getCredential: CredentialDetailView;
  deleteCredential: { deleted: true };
  importCredential: CredentialView;
  openCredentialOffer: { ids: string[]; credentials: CredentialView[] };
  refreshCredentialStatus: CredentialView;
  listTrustedIssuers: TrustedIssuerView[];
  addTrustedIssuer: TrustedIssuerView[];
  removeTrustedIssuer: TrustedIssuerView[];
  listAccreditors: AccreditorView[];
  addAccreditor: AccreditorView[];
  removeAccreditor: AccreditorView[];
  getResearchPolicy: ResearchPolicyView;
  setResearchPolicy: ResearchPolicyView;
  setCredentialCategories: CredentialView;
  getReceipt: ReceiptView;
  createDeletionRequest: DeletionRequestView;
  listActivity: ActivityPageView;
  verifyLedger: LedgerIntegrityView;
  deleteActivityPayload: { deleted: true };
  /** Structured JSON: credentials, grants with receipts, the activity log with payloads, the latest checkpoint. */
  exportData: Record<string, unknown>;
  getAnchoring: AnchoringView;
  setAnchoring: AnchoringView;
  anchorNow: AnchoringView;
  retryAnchorTransaction: AnchoringView;
  getBackupStatus: BackupStatusView;
  exportBackup: BackupExportView;
  restoreBackup: BackupRestoreView;
}

/** The runtime message that carries a UI command. */
export interface UiMessage {
  channel: 'ui';
  body: UiCommand;
}
