import { CoreError } from '../errors.ts';
import { fromUtf8, randomBytes, toBase64Url, utf8 } from '../encoding.ts';
import type { VaultKeys } from '../vault/vault-keys.ts';
import type { Collection, KeyValueStore, WriteOp } from '../ports.ts';

/**
 * What rests in the store for each record: the opaque slot name (repeated inside so
 * `list()` can check it), the GCM nonce and the ciphertext. Nothing else. Version 1
 * seals a value as JSON; version 2 seals bytes as they are (for a caller with its own
 * encoding), its version bound into the associated data so one cannot pass for the other.
 */
interface SealedRecord {
  v: 1 | 2;
  slot: string;
  iv: Uint8Array;
  ct: Uint8Array;
}

/** What an entry holds: a value (`put`, `putOp`) or bytes (`putBytesOp`). */
export type EntryContent<T> = { value: T; bytes?: undefined } | { bytes: Uint8Array; value?: undefined };

const SLOT_CACHE_SIZE = 256;

/**
 * A collection of records of type T, each encrypted with the vault's record key
 * (AES-256-GCM) under an opaque storage key HMAC(index key, collection ‖ id). The
 * storage key is bound as associated data, so a record moved to another slot fails
 * to decrypt instead of being misread.
 */
export class EncryptedCollection<T> {
  /** Slot names already computed (HMAC of collection ‖ id), oldest first. */
  private readonly slots = new Map<string, string>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly collection: Collection,
    private readonly keys: VaultKeys,
  ) {}

  async get(id: string): Promise<T | undefined> {
    const content = await this.read(id);
    return content && this.valueOf(content);
  }

  async list(): Promise<T[]> {
    return (await this.readAll()).map((content) => this.valueOf(content));
  }

  /** The entry stored under `id`, a value or bytes. */
  async read(id: string): Promise<EntryContent<T> | undefined> {
    const slot = await this.slotFor(id);
    const sealed = await this.store.get(this.collection, slot);
    return sealed === undefined ? undefined : this.open(slot, sealed);
  }

  async readAll(): Promise<EntryContent<T>[]> {
    // getAll loses the slot names, so each record carries its own slot inside.
    const all = await this.store.getAll(this.collection);
    return Promise.all(all.map((sealed) => this.openAny(sealed)));
  }

  async put(id: string, value: T): Promise<void> {
    await this.store.write([await this.putOp(id, value)]);
  }

  async delete(id: string): Promise<boolean> {
    const op = await this.deleteOp(id);
    const existed = (await this.store.get(this.collection, op.key)) !== undefined;
    await this.store.write([op]);
    return existed;
  }

  /** Stores `ops` (this collection's `putOp`/`deleteOp`s, or any) in one transaction. */
  async write(ops: readonly WriteOp[]): Promise<void> {
    if (ops.length > 0) await this.store.write(ops);
  }

  /** The write for `put`, for callers that combine several writes into one transaction. */
  async putOp(id: string, value: T): Promise<WriteOp> {
    const slot = await this.slotFor(id);
    return this.sealOp(1, slot, utf8(JSON.stringify({ slot, value })));
  }

  /** The write that stores `bytes` under `id` as they are (read back with `read` or `readAll`). */
  async putBytesOp(id: string, bytes: Uint8Array<ArrayBuffer>): Promise<WriteOp> {
    return this.sealOp(2, await this.slotFor(id), bytes);
  }

  async deleteOp(id: string): Promise<WriteOp> {
    return { type: 'delete', collection: this.collection, key: await this.slotFor(id) };
  }

  private async sealOp(v: SealedRecord['v'], slot: string, plaintext: Uint8Array<ArrayBuffer>): Promise<WriteOp> {
    const iv = randomBytes(12);
    const ct = new Uint8Array(
      await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: this.aad(v, slot) }, this.keys.recordKey, plaintext),
    );
    const sealed: SealedRecord = { v, slot, iv, ct };
    return { type: 'put', collection: this.collection, key: slot, value: sealed };
  }

  private async slotFor(id: string): Promise<string> {
    const known = this.slots.get(id);
    if (known !== undefined) return known;
    const mac = await crypto.subtle.sign('HMAC', this.keys.indexKey, utf8(`${this.collection}\u0000${id}`));
    const slot = toBase64Url(new Uint8Array(mac));
    // The same few records (a site's, its grant, the ledger head) are read on every
    // request: remember their slot names, within a bound.
    if (this.slots.size >= SLOT_CACHE_SIZE) this.slots.delete(this.slots.keys().next().value as string);
    this.slots.set(id, slot);
    return slot;
  }

  private aad(v: SealedRecord['v'], slot: string): Uint8Array<ArrayBuffer> {
    return utf8(v === 1 ? `tessera/${this.collection}/${slot}` : `tessera/${this.collection}/${slot}/bytes`);
  }

  private valueOf(content: EntryContent<T>): T {
    if (content.bytes) throw new CoreError('internal', `A record in '${this.collection}' holds bytes where a value was expected.`);
    return content.value as T;
  }

  private async openAny(sealed: unknown): Promise<EntryContent<T>> {
    const slot = (sealed as { slot?: unknown } | null)?.slot;
    if (typeof slot !== 'string') throw this.corrupt();
    return this.open(slot, sealed);
  }

  private async open(slot: string, sealed: unknown): Promise<EntryContent<T>> {
    const record = sealed as Partial<SealedRecord> | null;
    if (!record || (record.v !== 1 && record.v !== 2) || !(record.iv instanceof Uint8Array) || !(record.ct instanceof Uint8Array)) {
      throw this.corrupt();
    }
    let plaintext: ArrayBuffer;
    try {
      plaintext = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: new Uint8Array(record.iv), additionalData: this.aad(record.v, slot) },
        this.keys.recordKey,
        new Uint8Array(record.ct),
      );
    } catch {
      throw this.corrupt();
    }
    if (record.v === 2) return { bytes: new Uint8Array(plaintext) };
    const parsed = JSON.parse(fromUtf8(new Uint8Array(plaintext))) as { slot: string; value: T };
    if (parsed.slot !== slot) throw this.corrupt();
    return { value: parsed.value };
  }

  private corrupt(): CoreError {
    return new CoreError('internal', `A record in '${this.collection}' failed its integrity check.`);
  }
}
