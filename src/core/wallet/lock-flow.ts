import type { WalletStateView } from '../../protocol/internal.ts';
import type { CommitPoint } from '../commit/unit-of-work.ts';
import { grantStatus } from '../grants/grant-record.ts';
import type { WalletPorts } from '../ports.ts';
import type { Vault } from '../vault/vault.ts';
import { readSettings, writeSettings } from './settings.ts';
import type { UnlockedWallet, WalletSession } from './wallet-session.ts';

/** Creating, unlocking and locking the wallet, the password and the auto-lock setting. */
export class LockFlow {
  constructor(
    private readonly ports: WalletPorts,
    private readonly vault: Vault,
    private readonly session: WalletSession,
    private readonly commit: CommitPoint,
  ) {}

  async state(): Promise<WalletStateView> {
    const [initialized, unlocked, settings, unlockRetryAfterMs] = await Promise.all([
      this.vault.isInitialized(),
      this.session.current(),
      readSettings(this.ports.store),
      this.vault.retryAfterMs(),
    ]);
    return { initialized, unlocked: unlocked !== null, autoLockMinutes: settings.autoLockMinutes, unlockRetryAfterMs };
  }

  async create(password: string): Promise<WalletStateView> {
    await this.session.open(await this.vault.create(password));
    await this.commit.run(async (unit) => unit.emit({ type: 'wallet.created' }));
    return this.state();
  }

  async unlock(password: string): Promise<WalletStateView> {
    const wallet = await this.session.open(await this.vault.unlock(password));
    const activeOrigins = await activeGrantOrigins(wallet, this.ports.now());
    await this.commit.run(async (unit) => unit.emit({ type: 'wallet.unlocked', activeOrigins }));
    return this.state();
  }

  async lock(): Promise<WalletStateView> {
    const wallet = await this.session.current();
    // Read while the keys are still here: once locked, the grants cannot be decrypted.
    const activeOrigins = wallet ? await activeGrantOrigins(wallet, this.ports.now()) : [];
    await this.session.close();
    if (wallet) await this.commit.run(async (unit) => unit.emit({ type: 'wallet.locked', activeOrigins }));
    return this.state();
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.session.require();
    await this.vault.changePassword(currentPassword, newPassword);
  }

  async setAutoLock(minutes: number): Promise<WalletStateView> {
    await this.session.require();
    await writeSettings(this.ports.store, { ...(await readSettings(this.ports.store)), autoLockMinutes: minutes });
    this.session.forgetSettings();
    await this.session.touch();
    return this.state();
  }
}

async function activeGrantOrigins(wallet: UnlockedWallet, now: number): Promise<string[]> {
  const grants = await wallet.grants.list();
  return [...new Set(grants.filter((g) => grantStatus(g, now) === 'active').map((g) => g.requester.origin))];
}
