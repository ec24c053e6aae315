import { CoreError } from '../errors.ts';
import type { WriteOp } from '../ports.ts';
import type { EncryptedCollection } from '../storage/encrypted-collection.ts';

/** The record lock of one trust-list entry (its read-modify-write through the commit point). */
export const trustLock = (did: string) => `trust:${did.trim()}`;

/** An issuer the user has chosen to trust, with the name the wallet shows for it. */
export interface TrustedIssuer {
  did: string;
  label: string;
  /** ISO time it was first added (kept when the label changes). */
  addedAt: string;
}

export const MAX_LABEL_LENGTH = 80;
export const MAX_DID_LENGTH = 2048;

/**
 * A DID (not a DID URL) as DID Core defines it: `did:` method-name `:` method-specific-id,
 * the id being colon-separated runs of ALPHA / DIGIT / "." / "-" / "_" / pct-encoded,
 * the last run non-empty.
 */
const ID_CHAR = String.raw`(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})`;
const DID_PATTERN = new RegExp(String.raw`^did:[a-z0-9]+:(?:${ID_CHAR}*:)*${ID_CHAR}+$`);

/** C0/C1 controls, and the bidirectional overrides and isolates that can disguise a name. */
const FORBIDDEN_IN_LABEL = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/**
 * The issuers the user trusts, kept encrypted in the vault's 'trust' collection and
 * keyed by DID. Credentials from other issuers are still accepted, shown as "unknown".
 */
export class TrustList {
  /** `noun`: what an entry is, in refusals ("issuer"; "accreditation body" for the accreditation list). */
  constructor(
    private readonly issuers: EncryptedCollection<TrustedIssuer>,
    private readonly now: () => number,
    private readonly noun = 'issuer',
  ) {}

  /** Every trusted issuer, by label. */
  async list(): Promise<TrustedIssuer[]> {
    const all = await this.issuers.list();
    return all.sort((a, b) => a.label.localeCompare(b.label) || (a.did < b.did ? -1 : a.did > b.did ? 1 : 0));
  }

  /**
   * The write that trusts `did` under `label` (if it is already trusted, only the
   * label changes), for the caller's unit of work; hold `trustLock(did)` around it.
   */
  async addOp(did: string, label: string): Promise<{ op: WriteOp; issuer: TrustedIssuer }> {
    const cleanDid = validateDid(did, this.noun);
    const cleanLabel = validateLabel(label, this.noun);
    const existing = await this.issuers.get(cleanDid);
    const issuer: TrustedIssuer = {
      did: cleanDid,
      label: cleanLabel,
      addedAt: existing?.addedAt ?? new Date(this.now()).toISOString(),
    };
    return { op: await this.issuers.putOp(cleanDid, issuer), issuer };
  }

  /** Trusts `did` under `label`, stored on its own. */
  async add(did: string, label: string): Promise<TrustedIssuer> {
    const { op, issuer } = await this.addOp(did, label);
    await this.issuers.write([op]);
    return issuer;
  }

  /** The write that stops trusting `did`; null if it is not trusted. */
  async removeOp(did: string): Promise<WriteOp | null> {
    const key = did.trim();
    if (!DID_PATTERN.test(key) || (await this.issuers.get(key)) === undefined) return null;
    return this.issuers.deleteOp(key);
  }

  /** Stops trusting `did`, stored on its own; false if it was not trusted. */
  async remove(did: string): Promise<boolean> {
    const op = await this.removeOp(did);
    if (op) await this.issuers.write([op]);
    return op !== null;
  }

  async isTrusted(did: string): Promise<boolean> {
    return (await this.find(did)) !== undefined;
  }

  /** The label the user gave `did`, or null if it is not trusted. */
  async labelOf(did: string): Promise<string | null> {
    return (await this.find(did))?.label ?? null;
  }

  private async find(did: string): Promise<TrustedIssuer | undefined> {
    const key = did.trim();
    return DID_PATTERN.test(key) ? this.issuers.get(key) : undefined;
  }
}

/** The DID, trimmed, or a CoreError('invalid_input') saying what is wrong with it. */
export function validateDid(did: unknown, noun = 'issuer'): string {
  if (typeof did !== 'string') throw new CoreError('invalid_input', `The ${noun} DID must be a string.`);
  const value = did.trim();
  if (value.length === 0) throw new CoreError('invalid_input', `The ${noun} DID is empty.`);
  if (value.length > MAX_DID_LENGTH) throw new CoreError('invalid_input', `The ${noun} DID is longer than ${MAX_DID_LENGTH} characters.`);
  if (!value.startsWith('did:')) throw new CoreError('invalid_input', `'${preview(value)}' is not a DID: it must start with "did:".`);
  if (!/^did:[a-z0-9]+:/.test(value)) {
    throw new CoreError('invalid_input', `'${preview(value)}' is not a DID: the method name must be lowercase letters and digits followed by ":".`);
  }
  if (/[#?/]/.test(value)) {
    throw new CoreError('invalid_input', `'${preview(value)}' is a DID URL; give the DID alone, without a path, query or fragment.`);
  }
  if (!DID_PATTERN.test(value)) {
    throw new CoreError('invalid_input', `'${preview(value)}' is not a DID: the method-specific id must be letters, digits, ".", "-", "_", ":" or %-escapes, and must not end with ":".`);
  }
  return value;
}

/** The label, trimmed and NFC-normalised, or a CoreError('invalid_input') saying what is wrong. */
export function validateLabel(label: unknown, noun = 'issuer'): string {
  if (typeof label !== 'string') throw new CoreError('invalid_input', `The ${noun} label must be a string.`);
  const value = label.normalize('NFC').trim();
  if (value.length === 0) throw new CoreError('invalid_input', `The ${noun} label is empty.`);
  const length = [...value].length;
  if (length > MAX_LABEL_LENGTH) {
    throw new CoreError('invalid_input', `The issuer label is ${length} characters long; at most ${MAX_LABEL_LENGTH} are allowed.`);
  }
  if (FORBIDDEN_IN_LABEL.test(value)) {
    throw new CoreError('invalid_input', `The ${noun} label contains a control character (such as a newline, tab or text-direction override).`);
  }
  return value;
}

const preview = (value: string) => (value.length > 60 ? `${value.slice(0, 57)}...` : value).replace(/[\p{Cc}]/gu, '?');
