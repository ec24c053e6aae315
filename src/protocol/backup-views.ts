/** The encrypted backup (issue 10 part 4), as the dashboard and onboarding see it. */

export interface BackupStatusView {
  /** ISO time of the last export, null if never. */
  lastBackupAt: string | null;
  /** Keys the wallet holds now: pairwise DIDs and holder keys, and the anchoring account if any. */
  keyCount: number;
  /** Keys made since the last export (all of them when never exported). */
  keysSinceBackup: number;
  /** Show "No backup since your last new key": a key exists that no backup holds. */
  reminder: boolean;
}

export interface BackupExportView {
  /** `tessera-backup-<YYYY-MM-DD>.jwe` */
  fileName: string;
  /** The file's content: a compact JWE (PBES2-HS512+A256KW, A256GCM). */
  jwe: string;
  createdAt: string;
}

export interface BackupRestoreView {
  /** When the restored backup was exported. */
  backupCreatedAt: string;
  /** Whether a wallet was there before and was replaced. */
  replaced: boolean;
}
