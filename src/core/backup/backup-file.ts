import { DomainError } from '../errors.ts';
import { fromUtf8, sha256, toBase64Url, utf8 } from '../encoding.ts';
import { fromBase64Url } from '../ledger/base64url.ts';
import type { Collection, StoreSnapshot } from '../ports.ts';
import { COLLECTIONS } from '../storage/collections.ts';
import { VAULT_SECRET_BYTES } from '../vault/vault-keys.ts';
import { decodeStoredValue, encodeStoredValue } from './backup-values.ts';

/**
 * What a backup holds, inside the JWE: the vault secret (every record's key derives
 * from it, so the records travel still sealed, byte for byte) and every stored record
 * of every collection. The vault header is not in it: a restore wraps the secret
 * under the password the user sets then.
 */
export interface WalletBackup {
  /** ISO time of the export. */
  createdAt: string;
  secret: Uint8Array<ArrayBuffer>;
  records: StoreSnapshot;
}

export const BACKUP_FORMAT = 'tessera-backup';
export const BACKUP_VERSION = 1;

/**
 * The document: `{ format, version, createdAt, digest, body }`, where `body` is the
 * JSON of the secret and records and `digest` its SHA-256 (base64url). The JWE's GCM
 * tag already authenticates it; the digest and the version catch a wallet's own
 * mistakes (a truncated write, a body from another format) with a clear error.
 */
export async function encodeBackup(backup: WalletBackup): Promise<Uint8Array<ArrayBuffer>> {
  const records: Record<string, [string, unknown][]> = {};
  for (const name of COLLECTIONS) {
    records[name] = backup.records[name].map(([key, value]) => [key, encodeStoredValue(value, `${name}/${key}`)]);
  }
  const body = JSON.stringify({ secret: toBase64Url(backup.secret), records });
  const digest = toBase64Url(await sha256(body));
  return utf8(JSON.stringify({ format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: backup.createdAt, digest, body }));
}

const bad = (why: string) => new DomainError('invalid_input', `The backup's content is not valid: ${why}.`);

export async function decodeBackup(bytes: Uint8Array): Promise<WalletBackup> {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(fromUtf8(bytes)) as Record<string, unknown>;
  } catch {
    throw bad('it is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || doc.format !== BACKUP_FORMAT) throw bad('it is not a Tessera backup');
  if (doc.version !== BACKUP_VERSION) {
    throw new DomainError('invalid_input', `This backup has format version ${JSON.stringify(doc.version)}; this wallet reads version ${BACKUP_VERSION}.`);
  }
  const { createdAt, digest, body } = doc;
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) throw bad('no export time');
  if (typeof body !== 'string' || typeof digest !== 'string') throw bad('no body or digest');
  if (toBase64Url(await sha256(body)) !== digest) throw bad('its digest does not match');
  let parsed: { secret?: unknown; records?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    throw bad('its body is not JSON');
  }
  let secret: Uint8Array<ArrayBuffer>;
  try {
    secret = fromBase64Url(typeof parsed.secret === 'string' ? parsed.secret : '!');
  } catch {
    throw bad('no vault key');
  }
  if (secret.length !== VAULT_SECRET_BYTES) throw bad('the vault key has the wrong length');
  return { createdAt, secret, records: decodeRecords(parsed.records) };
}

function decodeRecords(json: unknown): StoreSnapshot {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('no records');
  const known = new Set<string>(COLLECTIONS);
  for (const name of Object.keys(json)) if (!known.has(name)) throw bad(`an unknown collection '${name}'`);
  const records = {} as StoreSnapshot;
  for (const name of COLLECTIONS) {
    const entries = (json as Record<string, unknown>)[name] ?? [];
    if (!Array.isArray(entries)) throw bad(`collection '${name}' is not a list`);
    const seen = new Set<string>();
    records[name as Collection] = entries.map((entry: unknown) => {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') throw bad(`an entry of '${name}' is malformed`);
      const key = entry[0];
      if (seen.has(key)) throw bad(`'${name}' holds the key ${key} twice`);
      seen.add(key);
      try {
        return [key, decodeStoredValue(entry[1], `${name}/${key}`)] as [string, unknown];
      } catch (error) {
        throw bad(error instanceof Error ? error.message : String(error));
      }
    });
  }
  return records;
}
