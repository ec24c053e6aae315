/**
 * TEST ONLY. A real receipt proof (DESIGN.md §6) made with the wallet's own code: a
 * consent receipt signed by a did:key pairwise DID (createConsentReceipt), a
 * `grant.given` entry in the activity ledger whose payload is exactly that JWT
 * among other entries, its salt and inclusion path (Ledger.entryProof), and the
 * ledger's signed checkpoint at that size. The anchor is the caller's: an in-memory
 * chain or a transaction on the development chain.
 */
import { ed25519 } from '@noble/curves/ed25519';
import { base58 } from '@scure/base';
import { randomBytes, toHex } from '../../../src/core/encoding.ts';
import { createConsentReceipt } from '../../../src/core/grants/consent-receipt.ts';
import type { GrantRecord } from '../../../src/core/grants/grant-record.ts';
import { ed25519Signer } from '../../../src/core/identity/ed25519-signer.ts';
import type { JwtSigner } from '../../../src/core/identity/jwt.ts';
import { Ledger } from '../../../src/core/ledger/ledger.ts';
import type { LedgerItem } from '../../../src/core/ledger/records.ts';
import { MemoryKeyValueStore } from '../../../src/core/storage/memory-store.ts';
import { deriveVaultKeys } from '../../../src/core/vault/vault-keys.ts';
import type { ReceiptProof, ReceiptProofAnchor } from '../../../src/protocol/receipt-proof.ts';

export type LedgerReceiptProof = Omit<ReceiptProof, 'anchor'>;

export interface ReceiptProofFixture {
  /** The proof without its anchor (which the caller adds once the root is on chain). */
  ledgerProof: LedgerReceiptProof;
  holderDid: string;
  grantId: string;
}

export interface ReceiptProofOptions {
  /** Entries before the grant (so its leaf index is this), default 5. */
  before?: number;
  /** Entries after the grant, default 3. */
  after?: number;
  /** The grant's end (the receipt's exp); default a year after it was given. */
  expiresAt?: string | null;
  /**
   * What the ledger logs as the receipt, in place of the one createConsentReceipt
   * signed (a forged or odd receipt that the rest of the proof commits to faithfully).
   */
  receipt?: (made: { jwt: string; signer: JwtSigner; did: string }) => Promise<string> | string;
}

const ORIGIN = 'https://research.example';

export async function buildReceiptProof(options: ReceiptProofOptions = {}): Promise<ReceiptProofFixture> {
  const before = options.before ?? 5;
  const after = options.after ?? 3;
  const store = new MemoryKeyValueStore();
  let clock = Date.parse('2026-12-01T21:12:00.806Z');
  const ledger = new Ledger(store, await deriveVaultKeys(randomBytes(32)), { now: () => new Date((clock += 1000)) });
  const append = async (...items: LedgerItem[]) => {
    const { ops, entries } = await ledger.appendOps(items);
    await store.write(ops);
    ledger.committed(entries);
    return entries;
  };
  const activity = (i: number): LedgerItem => ({ kind: 'grant.accessed', subject: `grant-${i}`, payload: JSON.stringify({ origin: ORIGIN, i }) });

  for (let i = 0; i < before; i++) await append(activity(i));
  const holder = await pairwiseDid();
  const grant = grantRecord(holder.did, options.expiresAt === undefined ? '2027-12-01T21:12:00.000Z' : options.expiresAt);
  const signed = await createConsentReceipt(holder.signer, grant);
  const receipt = options.receipt ? await options.receipt({ jwt: signed, signer: holder.signer, did: holder.did }) : signed;
  const [entry] = await append({ kind: 'grant.given', subject: grant.id, payload: receipt });
  for (let i = 0; i < after; i++) await append(activity(before + 1 + i));

  const proof = await ledger.entryProof(entry!.seq);
  const checkpoint = await ledger.checkpoint('tessera.example/ledger');
  if (proof.salt === null) throw new Error('The fixture never deletes a payload');
  return {
    ledgerProof: { v: 1, receipt, entry: proof.entry, salt: proof.salt, leafIndex: proof.leafIndex, treeSize: proof.treeSize, inclusion: proof.inclusion, root: proof.root, checkpoint },
    holderDid: holder.did,
    grantId: grant.id,
  };
}

export const withAnchor = (ledgerProof: LedgerReceiptProof, anchor: ReceiptProofAnchor): ReceiptProof => ({ ...ledgerProof, anchor });

/** An Ed25519 did:key as the wallet makes pairwise DIDs, with the wallet's own signer. */
async function pairwiseDid() {
  const seed = ed25519.utils.randomPrivateKey();
  const publicKey = ed25519.getPublicKey(seed);
  const multibase = `z${base58.encode(Uint8Array.from([0xed, 0x01, ...publicKey]))}`;
  const did = `did:key:${multibase}`;
  const signer = await ed25519Signer(`${did}#${multibase}`, toHex(seed) + toHex(publicKey));
  return { did, signer };
}

function grantRecord(holderDid: string, expiresAt: string | null): GrantRecord {
  const id = `grant-${toHex(randomBytes(8))}`;
  return {
    id,
    version: 1,
    createdAt: '2026-12-01T21:12:00.000Z',
    kind: 'data',
    requester: { origin: ORIGIN, id: 'did:web:research.example', displayName: 'Research portal', verification: { status: 'unverified' } },
    holder: { pairwiseDid: holderDid, role: 'dpv:ParentOfDataSubject' },
    purposes: ['dpv:AcademicResearch'],
    credentialTypes: ['HealthRecord'],
    claimPaths: [['vaccinations']],
    expiresAt,
    usageLimit: 10,
    requestHash: toHex(randomBytes(32)),
    presentationHashes: [],
    receiptId: `00000000-0000-4000-8000-${toHex(randomBytes(6))}`,
    access: {
      dcqlQuery: { credentials: [] },
      credentials: [{ queryId: 'health', credentialId: 'cred-1', format: 'dc+sd-jwt', types: ['HealthRecord'], claimPaths: [['vaccinations']], disclose: [['vaccinations']] }],
      usageCount: 0,
      retentionDays: 365,
    },
    events: [{ type: 'given', at: '2026-12-01T21:12:00.000Z', actor: 'holder' }],
  };
}
