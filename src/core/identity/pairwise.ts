import type { ManagedPrivateKey } from '@veramo/key-manager';
import type { EncryptedCollection } from '../storage/encrypted-collection.ts';
import type { WriteOp } from '../storage/ports.ts';
import type { IdentityAgent } from './agent.ts';
import { LOCAL_KMS } from './agent-constants.ts';
import { ed25519Signer } from './ed25519-signer.ts';
import type { JwtSigner } from './jwt.ts';

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
}

export class PairwiseIdentities {
  /** In-flight creations, so two concurrent first contacts share one DID. */
  private readonly creating = new Map<string, Promise<PairwiseRecord>>();

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

  /** The signer of the site's DID, straight from the private-key store. */
  signer(record: PairwiseRecord): Promise<JwtSigner> {
    return this.signerFor(record.keyRef, record.kid);
  }

  /** The write that points the site's record at its identity grant (for one transaction with the grant). */
  linkIdentityGrantOp(record: PairwiseRecord, grantId: string): Promise<WriteOp> {
    return this.records.putOp(record.origin, { ...record, identityGrantId: grantId });
  }

  private async create(origin: string): Promise<PairwiseRecord> {
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
    await this.records.put(origin, record);
    return record;
  }
}
