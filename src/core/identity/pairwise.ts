import type { EncryptedCollection } from '../storage/encrypted-collection.ts';
import type { IdentityAgent } from './agent.ts';
import { LOCAL_KMS } from './agent.ts';

/** One site's own DID: used with that origin only, so sites cannot link the holder. */
export interface PairwiseRecord {
  origin: string;
  did: string;
  createdAt: string;
}

export class PairwiseIdentities {
  /** In-flight creations, so two concurrent first contacts share one DID. */
  private readonly creating = new Map<string, Promise<PairwiseRecord>>();

  constructor(
    private readonly agent: IdentityAgent,
    private readonly records: EncryptedCollection<PairwiseRecord>,
    private readonly now: () => number,
  ) {}

  find(origin: string): Promise<PairwiseRecord | undefined> {
    return this.records.get(origin);
  }

  async getOrCreate(origin: string): Promise<PairwiseRecord> {
    const existing = await this.records.get(origin);
    if (existing) return existing;
    let pending = this.creating.get(origin);
    if (!pending) {
      pending = this.create(origin).finally(() => this.creating.delete(origin));
      this.creating.set(origin, pending);
    }
    return pending;
  }

  private async create(origin: string): Promise<PairwiseRecord> {
    const identifier = await this.agent.didManagerCreate({
      provider: 'did:key',
      kms: LOCAL_KMS,
      options: { keyType: 'Ed25519' },
    });
    const record: PairwiseRecord = { origin, did: identifier.did, createdAt: new Date(this.now()).toISOString() };
    await this.records.put(origin, record);
    return record;
  }
}
