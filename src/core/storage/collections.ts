/**
 * The stores of the wallet's database (IndexedDB object stores; maps in memory).
 * Adding one needs a schema upgrade in background/adapters/indexeddb-store.ts.
 */
export const COLLECTIONS = [
  'meta',
  'keys',
  'privateKeys',
  'dids',
  'pairwise',
  'grants',
  'credentials',
  'trust',
  // The activity ledger (core/ledger): entries, their payloads and salts (deletable
  // alone), and the head, ledger key and latest checkpoint.
  'ledger',
  'ledgerPayloads',
  'ledgerMeta',
  // Chain anchoring (core/anchoring): its state and account, the transaction queue,
  // and which ledger entry holds each data grant's receipt.
  'anchoring',
  'anchorQueue',
  'receiptEntries',
  // Research access (core/research): the accreditation bodies the user trusts, and the
  // data-category policy.
  'accreditors',
  'research',
] as const;
export type Collection = (typeof COLLECTIONS)[number];
