/**
 * Everything core needs from the platform, in one place. The background passes
 * browser adapters (src/background/adapters/); unit tests pass in-memory ones.
 */
import type { ProviderEventName } from '../protocol/rpc.ts';
import type { Hex } from '../protocol/receipt-proof.ts';
import type { Collection } from './storage/collections.ts';

export type { Collection } from './storage/collections.ts';

/**
 * The persistence port core writes through. The browser adapter is IndexedDB
 * (background/adapters/indexeddb-store.ts); the in-memory one serves unit tests.
 * Values are structured-cloneable; `write` applies all operations atomically or none.
 */
export type WriteOp =
  | { type: 'put'; collection: Collection; key: string; value: unknown }
  | { type: 'delete'; collection: Collection; key: string };

export interface KeyValueStore {
  get(collection: Collection, key: string): Promise<unknown>;
  getAll(collection: Collection): Promise<unknown[]>;
  write(ops: readonly WriteOp[]): Promise<void>;
  /** Every key and value of every collection, read as of one moment (one transaction): the backup's source. */
  snapshot(): Promise<StoreSnapshot>;
}

/** Each collection's entries as [key, value] pairs. */
export type StoreSnapshot = Record<Collection, [string, unknown][]>;

/**
 * Short-lived state that must survive a service-worker restart but not a browser
 * restart (pending approvals, the unlocked vault key): `storage.session` in the browser.
 */
export interface SessionStore {
  get<T>(key: string): Promise<T | undefined>;
  set(entries: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

/**
 * Shows an approval to the user; the browser adapter opens a popup window. The window
 * closes itself once decided; a window the user closes settles the approval as rejected.
 */
export interface ApprovalPresenter {
  open(approvalId: string): Promise<{ windowId: number | null }>;
  /** Whether a window `open` returned still exists (asked on worker start, to settle approvals whose window went away unseen). */
  isOpen(windowId: number): Promise<boolean>;
}

/** What a fetch may cost: the body cap in bytes and the deadline, body included. */
export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  contentType: string | null;
  body: string;
  /** Response headers, names in lower case (caching headers for DID documents, DPoP nonces, …). */
  headers?: Record<string, string>;
}

/** Extra request headers (Accept, Accept-Language, Authorization, If-None-Match); never cookies. */
export interface HttpRequestOptions {
  headers?: Record<string, string>;
  /** How the body is returned: UTF-8 text (default), or its bytes in base64 (images, e.g. an issuer's logo). */
  bodyEncoding?: 'text' | 'base64';
}

/** A request body: its media type and its text (JSON, or a form-encoded string). */
export interface HttpBody {
  contentType: string;
  text: string;
}

/**
 * Fetches a status list (or any small public resource) over HTTP(S). Core calls it
 * only through `fetchPublic` (src/core/net/), which applies the URL policy first. An
 * implementation must not follow redirects (the policy checked only the first URL)
 * and must stop reading a body at `limits.maxBytes`.
 */
export interface HttpFetcher {
  get(url: string, limits?: FetchLimits, options?: HttpRequestOptions): Promise<HttpResponse>;
  /** A POST (OpenID4VCI token, nonce and credential endpoints): the same rules as `get`. */
  post(url: string, body: HttpBody, limits?: FetchLimits, options?: HttpRequestOptions): Promise<HttpResponse>;
}


/**
 * Browser tabs for the OpenID4VCI authorization code flow (core/issuance/authorization-code.ts):
 * the issuer's sign-in runs in a tab the wallet opens; the adapter reports the tab's
 * arrival at `redirectUri` (the wallet then closes it).
 */
export interface AuthorizationTabs {
  redirectUri: string;
  /** Opens `url` in a new tab; its id. */
  open(url: string): Promise<number>;
  close(tabId: number): Promise<void>;
}

/** Provider events to the open pages of one origin (through the content scripts). */
export interface WalletEvents {
  toOrigin(origin: string, event: ProviderEventName, data: unknown): Promise<void>;
}

/** The wallet's timed jobs; the browser adapter runs them on `alarms`, which survive worker restarts. */
/** `anchoring`: the policy's period (anchor if entries were added); `anchoring-retry`: the queue's next attempt after a failure. */
export type ScheduledJob = 'auto-lock' | 'status-check' | 'grant-expiry' | 'anchoring' | 'anchoring-retry';

export interface Scheduler {
  /** Runs `job` once, `delayMinutes` from now, replacing an earlier timing of it. */
  once(job: ScheduledJob, delayMinutes: number): Promise<void>;
  /** Runs `job` every `periodMinutes` (idempotent: an existing period is kept). */
  every(job: ScheduledJob, periodMinutes: number): Promise<void>;
  cancel(job: ScheduledJob): Promise<void>;
}

/** A call of TesseraAnchor (DESIGN.md §6) the wallet sends. */
export type AnchorCall = { fn: 'anchor'; logId: Hex; treeSize: number; root: Hex } | { fn: 'revoke'; receiptHash: Hex };

/** Where the wallet's chain transactions go: the node's JSON-RPC URL and the contract. */
export interface ChainTarget {
  rpcUrl: string;
  contract: Hex;
}

/** A transaction signed and ready to broadcast; its hash is fixed before it is sent. */
export interface SignedChainTransaction {
  txHash: Hex;
  raw: Hex;
  nonce: number;
}

/** A mined transaction: whether it succeeded, where, who sent it, and its TesseraAnchor events. */
export interface MinedChainTransaction {
  txHash: Hex;
  status: 'success' | 'reverted';
  blockNumber: number;
  from: Hex;
  to: Hex | null;
  gasUsed: number;
  anchored: { contract: Hex; logId: Hex; treeSize: number; root: Hex }[];
  revoked: { contract: Hex; by: Hex; receiptHash: Hex }[];
}

/**
 * The chain, read-only: what a verifier needs (DESIGN.md §6). Every method throws an
 * Error whose message says what went wrong (unreachable node, bad answer).
 */
export interface AnchorChainReader {
  /** The chain id the node at `rpcUrl` reports. */
  chainId(rpcUrl: string): Promise<number>;
  /** Whether there is contract code at `address`. */
  hasCode(rpcUrl: string, address: Hex): Promise<boolean>;
  /** The mined transaction, or null while it is pending or unknown to the node. */
  minedTransaction(rpcUrl: string, txHash: Hex): Promise<MinedChainTransaction | null>;
  /** `revokedAt(by, receiptHash)` of the contract: the block number, 0 if never. */
  revokedAt(target: ChainTarget, by: Hex, receiptHash: Hex): Promise<number>;
}

/**
 * The chain client port the anchoring queue sends through (DESIGN.md §6): viem in
 * the browser and the CLI (src/core/anchoring/viem-chain.ts), an in-memory chain in
 * unit tests. Gas is always estimated, never fixed.
 */
export interface AnchorChain extends AnchorChainReader {
  /** The Ethereum address of a secp256k1 private key (32 bytes). */
  address(privateKey: Uint8Array): Promise<Hex>;
  /** Balance in wei. */
  balance(rpcUrl: string, address: Hex): Promise<bigint>;
  /** Whether the node knows the transaction at all (pending or mined). */
  known(rpcUrl: string, txHash: Hex): Promise<boolean>;
  /**
   * Estimates gas, takes the account's pending nonce and the fees from the node, and
   * signs `call` to `target.contract` for `chainId`. Sends nothing.
   */
  prepare(target: ChainTarget, chainId: number, privateKey: Uint8Array, call: AnchorCall): Promise<SignedChainTransaction>;
  /** Broadcasts a signed transaction. A node that already has it is not an error. */
  broadcast(rpcUrl: string, raw: Hex): Promise<Hex>;
}

export interface WalletPorts {
  store: KeyValueStore;
  session: SessionStore;
  presenter: ApprovalPresenter;
  events: WalletEvents;
  scheduler: Scheduler;
  /** Status lists and other public resources over HTTP(S). */
  fetcher: HttpFetcher;
  /** OpenID4VCI sign-in tabs; absent, the authorization code flow is refused clearly. */
  authorizationTabs?: AuthorizationTabs;
  now: () => number;
  /** The chain anchoring goes to (loaded when first needed); absent, anchoring cannot be enabled. */
  chain?: AnchorChain;
  /** PBKDF2 iterations for new vaults; only tests lower it (never below the unlock minimum). */
  kdfIterations?: number;
}
