import type { IAgentPlugin, IDataStore, VerifiableCredential } from '@veramo/core-types';
import { randomId } from '../encoding.ts';
import type { PairwiseIdentities } from '../identity/pairwise.ts';
import type { CredentialRepository } from './credential-repository.ts';
import { WalletHolderKeys } from './holder-keys.ts';
import type { CredentialRecord, DidResolver } from './types.ts';
import { verifyCredential } from './verify-credential.ts';

type CredentialDataStore = Pick<
  IDataStore,
  'dataStoreSaveVerifiableCredential' | 'dataStoreGetVerifiableCredential' | 'dataStoreDeleteVerifiableCredential'
>;

/**
 * Veramo's data-store methods for credentials (the IDataStore credential part),
 * backed by the wallet's encrypted credential repository, so the agent and the wallet
 * see one store. The "hash" Veramo names a credential by is the record id. A credential
 * saved through the agent is verified and bound like an offered one; its status is
 * left for the scheduled check.
 */
export class VeramoCredentialStore implements IAgentPlugin {
  readonly methods: CredentialDataStore;

  constructor(
    private readonly repository: CredentialRepository,
    private readonly deps: { pairwise: PairwiseIdentities; resolver: DidResolver; now: () => number },
  ) {
    this.methods = {
      dataStoreSaveVerifiableCredential: ({ verifiableCredential }) => this.save(verifiableCredential),
      dataStoreGetVerifiableCredential: ({ hash }) => this.get(hash),
      dataStoreDeleteVerifiableCredential: ({ hash }) => this.repository.delete(hash),
    };
  }

  private async save(credential: VerifiableCredential): Promise<string> {
    const raw = typeof credential === 'string' ? credential : (credential.proof as { jwt?: unknown } | undefined)?.jwt;
    if (typeof raw !== 'string') throw new Error('invalid_argument: only JWT-secured credentials (proof.jwt) can be stored');
    const verified = await verifyCredential(raw, {
      resolver: this.deps.resolver,
      holderKeys: new WalletHolderKeys(this.deps.pairwise),
      now: this.deps.now(),
    });
    const record: CredentialRecord = {
      ...verified,
      id: randomId(),
      receivedAt: new Date(this.deps.now()).toISOString(),
      receivedFrom: 'agent',
      statusResult: { state: 'unknown', checkedAt: null, reason: 'not checked yet', nextCheckAt: null },
    };
    await this.repository.save(record);
    return record.id;
  }

  /** The W3C form of a held credential; SD-JWT VCs have none and are not returned here. */
  private async get(hash: string): Promise<VerifiableCredential> {
    const record = await this.repository.get(hash);
    if (!record) throw new Error(`not_found: no credential ${hash}`);
    if (record.format === 'dc+sd-jwt') throw new Error(`not_found: ${hash} is an SD-JWT VC, not a W3C credential`);
    return { ...record.document, proof: { type: 'JwtProof2020', jwt: record.raw } } as unknown as VerifiableCredential;
  }
}
