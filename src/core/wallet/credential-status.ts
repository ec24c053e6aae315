import { checkStatus, isDue, StatusListCache } from '../credentials/status/status-checker.ts';
import type { CredentialRecord, CredentialStatus, DidResolver, VerifiedCredential } from '../credentials/types.ts';
import type { CommitPoint } from '../commit/unit-of-work.ts';
import type { WalletPorts } from '../ports.ts';
import type { UnlockedWallet } from './wallet-session.ts';

/**
 * A credential's status (revoked, suspended, expired, valid, unknown) from its status
 * lists. Fetches happen only here, and only on the holder's behalf: on receipt once
 * accepted, when a share is approved, on "Check now" and on the scheduled check —
 * never merely because a site's request is on screen (DESIGN.md §5).
 */
export class CredentialStatusService {
  /** Status lists fetched this worker's lifetime, honouring their ttl. */
  private readonly cache = new StatusListCache();

  constructor(
    private readonly ports: WalletPorts,
    private readonly resolver: DidResolver,
    private readonly commit: CommitPoint,
  ) {}

  async statusOf(credential: VerifiedCredential): Promise<CredentialStatus> {
    const now = this.ports.now();
    if (credential.validUntil && Date.parse(credential.validUntil) <= now) {
      return { state: 'expired', checkedAt: new Date(now).toISOString(), reason: `expired on ${credential.validUntil}`, nextCheckAt: null };
    }
    return checkStatus(credential.status, {
      issuer: credential.issuer,
      fetcher: this.ports.fetcher,
      resolver: this.resolver,
      now,
      cache: this.cache,
    });
  }

  /** Re-checks one held credential (`force`: even if its list's ttl has not passed) and keeps the result. */
  async refresh(wallet: UnlockedWallet, record: CredentialRecord, force: boolean): Promise<CredentialRecord> {
    if (!force && !isDue(record.statusResult, this.ports.now())) return record;
    const status = await this.statusOf(record);
    // The new status and (when the state changed) its ledger entry land in one transaction.
    const updated = await wallet.credentials.setStatus(record.id, status, (ops, previous) =>
      this.commit.run(async (unit) => {
        unit.write(...ops);
        if (status.state !== previous.statusResult.state) unit.emit({ type: 'credential.status', credentialId: record.id, state: status.state });
      }),
    );
    return updated ?? record;
  }

  /** The scheduled check: every held credential whose status is due (by its list's ttl). */
  async refreshDue(wallet: UnlockedWallet): Promise<number> {
    let checked = 0;
    for (const record of await wallet.credentials.list()) {
      if (!isDue(record.statusResult, this.ports.now())) continue;
      await this.refresh(wallet, record, false);
      checked++;
    }
    return checked;
  }
}
