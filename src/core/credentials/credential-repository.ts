import type { EncryptedCollection } from '../storage/encrypted-collection.ts';
import type { CredentialRecord, CredentialStatus } from './types.ts';

/**
 * The credentials the wallet holds: encrypted one record each, with a decrypted
 * in-memory copy for the unlocked session so listing and DCQL matching over
 * thousands of credentials cost no decryption after the first read.
 */
export class CredentialRepository {
  private cache: Promise<Map<string, CredentialRecord>> | null = null;

  constructor(private readonly records: EncryptedCollection<CredentialRecord>) {}

  async list(): Promise<CredentialRecord[]> {
    const all = [...(await this.load()).values()];
    return all.sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0));
  }

  async get(id: string): Promise<CredentialRecord | undefined> {
    return (await this.load()).get(id);
  }

  async save(record: CredentialRecord): Promise<void> {
    await this.records.put(record.id, record);
    (await this.load()).set(record.id, record);
  }

  async delete(id: string): Promise<boolean> {
    const cache = await this.load();
    if (!cache.has(id)) return false;
    await this.records.delete(id);
    cache.delete(id);
    return true;
  }

  async setStatus(id: string, statusResult: CredentialStatus): Promise<CredentialRecord | undefined> {
    const record = await this.get(id);
    if (!record) return undefined;
    const updated = { ...record, statusResult };
    await this.save(updated);
    return updated;
  }

  private load(): Promise<Map<string, CredentialRecord>> {
    this.cache ??= this.records.list().then((all) => new Map(all.map((r) => [r.id, r])));
    this.cache.catch(() => (this.cache = null));
    return this.cache;
  }
}
