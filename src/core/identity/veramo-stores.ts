import type { IIdentifier, IKey, ManagedKeyInfo } from '@veramo/core-types';
import { AbstractDIDStore } from '@veramo/did-manager';
import { AbstractKeyStore, AbstractPrivateKeyStore, type ImportablePrivateKey, type ManagedPrivateKey } from '@veramo/key-manager';
import { randomId } from '../encoding.ts';
import type { EncryptedCollection } from '../storage/encrypted-collection.ts';

/**
 * Veramo's abstract stores implemented on our encrypted collections, instead of
 * @veramo/data-store-json (which keeps private keys in the clear and rewrites the
 * whole tree on each change). Each key, private key and DID is one encrypted record.
 */
export class EncryptedKeyStore extends AbstractKeyStore {
  constructor(private readonly keys: EncryptedCollection<IKey>) {
    super();
  }

  async importKey(args: Partial<IKey>): Promise<boolean> {
    if (!args.kid || !args.kms || !args.type || !args.publicKeyHex) throw new Error('Key is missing kid, kms, type or publicKeyHex');
    // Private key material belongs to the private-key store; never keep it here.
    const { privateKeyHex: _dropped, ...key } = args as IKey;
    await this.keys.put(args.kid, key as IKey);
    return true;
  }

  async getKey({ kid }: { kid: string }): Promise<IKey> {
    const key = await this.keys.get(kid);
    if (!key) throw new Error(`not_found: Key not found: ${kid}`);
    return key;
  }

  async deleteKey({ kid }: { kid: string }): Promise<boolean> {
    if (!(await this.keys.delete(kid))) throw new Error(`not_found: Key not found: ${kid}`);
    return true;
  }

  async listKeys(): Promise<ManagedKeyInfo[]> {
    return (await this.keys.list()).map(({ privateKeyHex: _p, ...info }) => info as ManagedKeyInfo);
  }
}

export class EncryptedPrivateKeyStore extends AbstractPrivateKeyStore {
  constructor(private readonly keys: EncryptedCollection<ManagedPrivateKey>) {
    super();
  }

  async importKey(args: ImportablePrivateKey): Promise<ManagedPrivateKey> {
    const key: ManagedPrivateKey = { alias: args.alias ?? randomId(), privateKeyHex: args.privateKeyHex, type: args.type };
    const existing = await this.keys.get(key.alias);
    if (existing && existing.privateKeyHex !== key.privateKeyHex) {
      throw new Error(`key_already_exists: A different key with alias ${key.alias} is already stored`);
    }
    await this.keys.put(key.alias, key);
    return key;
  }

  async getKey({ alias }: { alias: string }): Promise<ManagedPrivateKey> {
    const key = await this.keys.get(alias);
    if (!key) throw new Error(`not_found: Private key not found: ${alias}`);
    return key;
  }

  async deleteKey({ alias }: { alias: string }): Promise<boolean> {
    if (!(await this.keys.delete(alias))) throw new Error(`not_found: Private key not found: ${alias}`);
    return true;
  }

  async listKeys(): Promise<ManagedPrivateKey[]> {
    return this.keys.list();
  }
}

export class EncryptedDIDStore extends AbstractDIDStore {
  constructor(private readonly dids: EncryptedCollection<IIdentifier>) {
    super();
  }

  async importDID(identifier: IIdentifier): Promise<boolean> {
    // Keys are stored by the key store; keep only their public description here.
    const keys = identifier.keys.map(({ privateKeyHex: _p, ...key }) => key as IKey);
    await this.dids.put(identifier.did, { ...identifier, keys });
    return true;
  }

  async getDID(args: { did: string } | { alias: string }): Promise<IIdentifier> {
    const found =
      'did' in args && args.did
        ? await this.dids.get(args.did)
        : (await this.dids.list()).find((d) => d.alias === (args as { alias: string }).alias);
    if (!found) throw new Error(`not_found: Identifier not found`);
    return found;
  }

  async deleteDID({ did }: { did: string }): Promise<boolean> {
    return this.dids.delete(did);
  }

  async listDIDs(args: { alias?: string; provider?: string }): Promise<IIdentifier[]> {
    return (await this.dids.list()).filter(
      (d) => (!args.alias || d.alias === args.alias) && (!args.provider || d.provider === args.provider),
    );
  }
}
