import type { KeyValueStore, WriteOp } from '../ports.ts';
import { TrustList, type TrustedIssuer } from '../credentials/trust-list.ts';
import { EncryptedCollection } from '../storage/encrypted-collection.ts';
import type { VaultKeys } from '../vault/vault-keys.ts';
import { defaultResearchPolicy, type ResearchPolicy } from './data-categories.ts';

const POLICY_KEY = 'policy';

/** The record lock of the research policy (its read-modify-writes go through the commit point). */
export const RESEARCH_POLICY_LOCK = 'research:policy';

/**
 * Research access's state in the vault: the accreditation trust list ('accreditors',
 * DIDs and labels of accreditation bodies, kept apart from the credential issuers) and
 * the data-category policy ('research'), both encrypted like every vault record.
 */
export class ResearchStore {
  readonly accreditors: TrustList;
  private readonly records: EncryptedCollection<ResearchPolicy>;

  constructor(store: KeyValueStore, keys: VaultKeys, now: () => number) {
    this.accreditors = new TrustList(new EncryptedCollection<TrustedIssuer>(store, 'accreditors', keys), now, 'accreditation body');
    this.records = new EncryptedCollection<ResearchPolicy>(store, 'research', keys);
  }

  async policy(): Promise<ResearchPolicy> {
    return (await this.records.get(POLICY_KEY)) ?? defaultResearchPolicy();
  }

  policyOp(policy: ResearchPolicy): Promise<WriteOp> {
    return this.records.putOp(POLICY_KEY, policy);
  }
}
