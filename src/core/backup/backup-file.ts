import { DomainError } from '../errors.ts';
import { fromUtf8, sha256, toBase64Url, utf8 } from '../encoding.ts';
import { fromBase64Url } from '../ledger/base64url.ts';
import type { Collection, StoreSnapshot } from '../ports.ts';
import { COLLECTIONS } from '../storage/collections.ts';
import { VAULT_SECRET_BYTES } from '../vault/vault-keys.ts';
import { ByteSink, decodeStoredValue, encodeStoredValue } from './backup-values.ts';

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
/** The header line is small; a file without a newline this early is not ours. */
const MAX_HEADER_BYTES = 4096;
const NEWLINE = 0x0a;

/**
 * The document, as bytes: a header line `{ format, version, createdAt, digest,
 * bodyBytes, blobBytes }`, then the body (JSON of the secret and the records) and the
 * blob (the records' bytes, which the body points into). `digest` is the SHA-256
 * (base64url) of body and blob. The JWE's GCM tag already authenticates all of it; the
 * digest, lengths and version catch a wallet's own mistakes with a clear error.
 */
export async function encodeBackup(backup: WalletBackup): Promise<Uint8Array<ArrayBuffer>> {
  const sink = new ByteSink();
  const records: Record<string, [string, unknown][]> = {};
  for (const name of COLLECTIONS) {
    records[name] = backup.records[name].map(([key, value]) => [key, encodeStoredValue(value, sink, `${name}/${key}`)]);
  }
  const body = utf8(JSON.stringify({ secret: toBase64Url(backup.secret), records }));
  const blob = sink.bytes();
  const rest = concat([body, blob]);
  const digest = toBase64Url(await sha256(rest));
  const header = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: backup.createdAt, digest, bodyBytes: body.length, blobBytes: blob.length };
  return concat([utf8(`${JSON.stringify(header)}\n`), rest]);
}

const bad = (why: string) => new DomainError('invalid_input', `The backup's content is not valid: ${why}.`);

export async function decodeBackup(bytes: Uint8Array<ArrayBuffer>): Promise<WalletBackup> {
  const end = bytes.subarray(0, MAX_HEADER_BYTES).indexOf(NEWLINE);
  if (end < 0) throw bad('it is not a Tessera backup');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(fromUtf8(bytes.subarray(0, end))) as Record<string, unknown>;
  } catch {
    throw bad('it is not a Tessera backup');
  }
  if (typeof header !== 'object' || header === null || header.format !== BACKUP_FORMAT) throw bad('it is not a Tessera backup');
  if (header.version !== BACKUP_VERSION) {
    throw new DomainError('invalid_input', `This backup has format version ${JSON.stringify(header.version)}; this wallet reads version ${BACKUP_VERSION}.`);
  }
  const { createdAt, digest, bodyBytes, blobBytes } = header;
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) throw bad('no export time');
  if (typeof digest !== 'string' || !Number.isSafeInteger(bodyBytes) || !Number.isSafeInteger(blobBytes)) throw bad('no digest or lengths');
  const rest = bytes.subarray(end + 1);
  if ((bodyBytes as number) + (blobBytes as number) !== rest.length) throw bad('it is truncated or has extra bytes');
  if (toBase64Url(await sha256(rest.slice())) !== digest) throw bad('its digest does not match');
  let parsed: { secret?: unknown; records?: unknown };
  try {
    parsed = JSON.parse(fromUtf8(rest.subarray(0, bodyBytes as number))) as typeof parsed;
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
  return { createdAt, secret, records: decodeRecords(parsed.records, rest.subarray(bodyBytes as number)) };
}

function decodeRecords(json: unknown, blob: Uint8Array): StoreSnapshot {
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
        return [key, decodeStoredValue(entry[1], blob, `${name}/${key}`)] as [string, unknown];
      } catch (error) {
        throw bad(error instanceof Error ? error.message : String(error));
      }
    });
  }
  return records;
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
