import { DomainError } from '../errors.ts';
import { fromBase64, toBase64 } from '../encoding.ts';
import { GrantService } from '../grants/grant-service.ts';
import { CredentialRepository } from '../credentials/credential-repository.ts';
import type { CredentialRecord } from '../credentials/types.ts';
import { TrustList, type TrustedIssuer } from '../credentials/trust-list.ts';
import type { GrantRecord } from '../grants/grant-record.ts';
import type { ManagedPrivateKey } from '@veramo/key-manager';
import type { IdentityAgent } from '../identity/agent.ts';
import { lazyIdentityAgent } from '../identity/agent-loader.ts';
import { PairwiseIdentities, type PairwiseRecord } from '../identity/pairwise.ts';
import { EncryptedCollection } from '../storage/encrypted-collection.ts';
import { Ledger } from '../ledger/ledger.ts';
import { AnchoringStore } from '../anchoring/anchoring-store.ts';
import { ResearchStore } from '../research/research-store.ts';
import { deriveVaultKeys, type VaultKeys } from '../vault/vault-keys.ts';
import type { WalletPorts } from '../ports.ts';
import { readSettings } from './settings.ts';

/** What an unlocked wallet can do; built from the vault keys. */
export interface UnlockedWallet {
  keys: VaultKeys;
  /** The Veramo agent, loaded on first use. */
  agent: () => Promise<IdentityAgent>;
  pairwise: PairwiseIdentities;
  grants: GrantService;
  credentials: CredentialRepository;
  trust: TrustList;
  /** The activity ledger (DESIGN.md §4). */
  ledger: Ledger;
  /** Chain anchoring's state, account and queue (DESIGN.md §6). */
  anchoring: AnchoringStore;
  /** Research access: the accreditation bodies and the data-category policy (DESIGN.md §8). */
  research: ResearchStore;
}

/** storage.session key of the unwrapped vault secret (memory only, never on disk). */
const SECRET_KEY = 'vaultSecret';

/**
 * The lock state. The unwrapped secret lives in session storage so the wallet stays
 * unlocked across service-worker restarts; the services built from it are a cache.
 */
export class WalletSession {
  private cached: { secret: string; wallet: UnlockedWallet } | null = null;
  /** The wallet being built from a secret read meanwhile: callers at the same time share it. */
  private building: { secret: string; wallet: Promise<UnlockedWallet> } | null = null;
  /** Counts locks, so a read of the secret that a lock overtook is not used. */
  private closes = 0;
  /** Cache of the stored auto-lock setting for this worker's lifetime. */
  private autoLockMinutes: number | null = null;

  constructor(private readonly ports: WalletPorts) {}

  /**
   * The unlocked wallet, or null when locked. Calls made while its keys are still being
   * derived (at a worker start: the first request, the start-up work and the warm-up)
   * wait for the same wallet instead of each deriving and building their own.
   */
  async current(): Promise<UnlockedWallet | null> {
    const closes = this.closes;
    const stored = await this.ports.session.get<string>(SECRET_KEY);
    if (closes !== this.closes) return this.current();
    if (!stored) {
      this.cached = null;
      this.building = null;
      return null;
    }
    if (this.cached?.secret === stored) return this.cached.wallet;
    if (this.building?.secret !== stored) {
      const building = { secret: stored, wallet: deriveVaultKeys(fromBase64(stored)).then((keys) => this.build(keys)) };
      this.building = building;
      building.wallet.then(
        (wallet) => {
          if (this.building !== building) return;
          this.cached = { secret: stored, wallet };
          this.building = null;
        },
        () => {
          if (this.building === building) this.building = null;
        },
      );
    }
    return this.building.wallet;
  }

  async require(): Promise<UnlockedWallet> {
    const wallet = await this.current();
    if (!wallet) throw new DomainError('locked', 'The wallet is locked.');
    return wallet;
  }

  async open(keys: VaultKeys): Promise<UnlockedWallet> {
    const secret = toBase64(keys.secret);
    await this.ports.session.set({ [SECRET_KEY]: secret });
    const wallet = this.build(keys);
    this.cached = { secret, wallet };
    this.building = null;
    await this.touch();
    return wallet;
  }

  async close(): Promise<void> {
    this.closes++;
    this.cached = null;
    this.building = null;
    await this.ports.session.remove(SECRET_KEY);
    await this.ports.scheduler.cancel('auto-lock');
  }

  /**
   * The user did something: restart the auto-lock countdown. Only the holder's own
   * actions (extension pages, decisions) call this — a site's silent requests must
   * not keep the wallet awake.
   */
  async touch(): Promise<void> {
    this.autoLockMinutes ??= (await readSettings(this.ports.store)).autoLockMinutes;
    await this.ports.scheduler.once('auto-lock', this.autoLockMinutes);
  }

  /** Call after the setting changed, so the next touch reads it again. */
  forgetSettings(): void {
    this.autoLockMinutes = null;
  }

  private build(keys: VaultKeys): UnlockedWallet {
    const { store, now } = this.ports;
    const credentials = new CredentialRepository(new EncryptedCollection<CredentialRecord>(store, 'credentials', keys));
    // The agent's data store is the same repository (loaded with the agent, on first use).
    const agent = lazyIdentityAgent(store, keys, async () => {
      const [{ VeramoCredentialStore }, { createDidResolver }] = await Promise.all([
        import('../credentials/veramo-credential-store.ts'),
        import('../identity/did-resolvers.ts'),
      ]);
      return [new VeramoCredentialStore(credentials, { pairwise, resolver: createDidResolver({ fetcher: this.ports.fetcher, now }), now })];
    });
    const pairwise = new PairwiseIdentities(
      agent,
      new EncryptedCollection<PairwiseRecord>(store, 'pairwise', keys),
      new EncryptedCollection<ManagedPrivateKey>(store, 'privateKeys', keys),
      now,
    );
    return {
      keys,
      agent,
      pairwise,
      grants: new GrantService(new EncryptedCollection<GrantRecord>(store, 'grants', keys), now),
      credentials,
      trust: new TrustList(new EncryptedCollection<TrustedIssuer>(store, 'trust', keys), now),
      ledger: new Ledger(store, keys, { now: () => new Date(now()) }),
      anchoring: new AnchoringStore(store, keys),
      research: new ResearchStore(store, keys, now),
    };
  }
}
