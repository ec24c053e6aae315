import type { ManagedPrivateKey } from '@veramo/key-manager';
import type { EncryptedCollection } from '../storage/encrypted-collection.ts';
import type { WriteOp } from '../ports.ts';
import type { IdentityAgent } from './agent.ts';
import { LOCAL_KMS } from './agent-constants.ts';
import { ed25519Signer } from './ed25519-signer.ts';
import type { JwtSigner } from './jwt.ts';

/** The site's grants by id; a record written before the list existed names its identity grant only. */
export function grantIdsOf(record: PairwiseRecord): string[] {
  return record.grantIds ?? (record.identityGrantId ? [record.identityGrantId] : []);
}

/** The lock name of one origin's pairwise record (see CommitPoint). */
export const pairwiseLock = (origin: string) => `pairwise:${origin}`;

/** One site's own DID: used with that origin only, so sites cannot link the holder. */
export interface PairwiseRecord {
  origin: string;
  did: string;
  /** The verification method that signs (DID URL). */
  kid: string;
  /** The key's id in the key stores (kms-local: the public key hex). */
  keyRef: string;
  createdAt: string;
  /** The site's current identity grant, so a login finds it without reading every grant. */
  identityGrantId: string | null;
  /** Every grant the site was given (identity and data), so its grants are found without reading all. */
  grantIds?: string[];
}

export class PairwiseIdentities {
  constructor(
    private readonly agent: () => Promise<IdentityAgent>,
    private readonly records: EncryptedCollection<PairwiseRecord>,
    private readonly privateKeys: EncryptedCollection<ManagedPrivateKey>,
    private readonly now: () => number,
  ) {}

  find(origin: string): Promise<PairwiseRecord | undefined> {
    return this.records.get(origin);
  }

  list(): Promise<PairwiseRecord[]> {
    return this.records.list();
  }

  /** The signer of any wallet key by its key-store id (kms-local: public key hex). */
  async signerFor(keyRef: string, kid: string): Promise<JwtSigner> {
    const key = await this.privateKeys.get(keyRef);
    if (!key || key.type !== 'Ed25519') throw new Error(`The key ${keyRef} is missing`);
    return ed25519Signer(kid, key.privateKeyHex);
  }

  /**
   * The site's record, or a new DID for it that is not stored yet: the caller stores
   * it (with `linkIdentityGrantOp`) in the same transaction as the grant, holding
   * `pairwiseLock(origin)` so two first contacts never make two DIDs.
   */
  async findOrPrepare(origin: string): Promise<PairwiseRecord> {
    return (await this.records.get(origin)) ?? this.prepare(origin);
  }

  /** The signer of the site's DID, straight from the private-key store. */
  signer(record: PairwiseRecord): Promise<JwtSigner> {
    return this.signerFor(record.keyRef, record.kid);
  }

  /** The write that stores the site's record as it is (e.g. a new one, with a data grant that uses it). */
  saveOp(record: PairwiseRecord): Promise<WriteOp> {
    return this.records.putOp(record.origin, record);
  }

  /** The write that points the site's record at its identity grant (for one transaction with the grant). */
  linkIdentityGrantOp(record: PairwiseRecord, grantId: string): Promise<WriteOp> {
    return this.records.putOp(record.origin, { ...record, identityGrantId: grantId, grantIds: [...grantIdsOf(record), grantId] });
  }

  /** A new DID and key (the agent's key stores keep the key at once; the site's record is the caller's to store). */
  private async prepare(origin: string): Promise<PairwiseRecord> {
    const agent = await this.agent();
    const identifier = await agent.didManagerCreate({ provider: 'did:key', kms: LOCAL_KMS, options: { keyType: 'Ed25519' } });
    const key = identifier.keys[0];
    const resolved = await agent.resolveDid({ didUrl: identifier.did });
    const kid = resolved.didDocument?.assertionMethod?.find((m): m is string => typeof m === 'string')
      ?? resolved.didDocument?.verificationMethod?.[0]?.id;
    if (!key || !kid) throw new Error(`The new DID ${identifier.did} has no usable key`);
    const record: PairwiseRecord = {
      origin,
      did: identifier.did,
      kid,
      keyRef: key.kid,
      createdAt: new Date(this.now()).toISOString(),
      identityGrantId: null,
    };
    return record;
  }
}
