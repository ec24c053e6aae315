/**
 * A receipt-proof verifier written from DESIGN.md §6 alone ("Receipt proof",
 * "Encodings", "Anyone verifies"), as an auditor without the wallet's code would
 * write it: viem for the chain, @noble for the hashes and the signature, canonicalize
 * for JCS, Node's Buffer for base64url. It imports nothing of the wallet (a test reads
 * this file to hold it to that), so where it agrees with the wallet, the design, not
 * shared code, is what both follow.
 */
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha2';
import canonicalize from 'canonicalize';
import { Buffer } from 'node:buffer';
import { createPublicClient, http, parseAbi, parseEventLogs, type Hex } from 'viem';

/** The steps of §6 "Anyone verifies", in the order it lists them (the signature last). */
export type DesignStep = 'proof shape' | 'entry kind' | 'digest' | 'inclusion' | 'chain id' | 'anchor transaction' | 'revocation' | 'receipt signature';

export type DesignVerdict =
  | { verdict: 'valid'; revokedAtBlock: null }
  | { verdict: 'revoked'; revokedAtBlock: number }
  | { verdict: 'invalid'; failedStep: DesignStep; reason: string };

/** The contract's interface exactly as §6 writes it. */
const TESSERA_ANCHOR = parseAbi([
  'event Anchored(bytes32 indexed logId, uint64 treeSize, bytes32 root)',
  'event Revoked(address indexed by, bytes32 indexed receiptHash)',
  'function revokedAt(address by, bytes32 receiptHash) view returns (uint64)',
]);

class StepFailure extends Error {
  constructor(
    readonly step: DesignStep,
    reason: string,
  ) {
    super(reason);
  }
}

function must(condition: unknown, step: DesignStep, reason: string): asserts condition {
  if (!condition) throw new StepFailure(step, reason);
}

/** Unpadded base64url of exactly `length` bytes (a 32-byte hash is 43 characters, the salt 22), else null. */
function base64url(text: unknown, length: number): Uint8Array | null {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.length === length && bytes.toString('base64url') === text ? new Uint8Array(bytes) : null;
}

const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const ascii = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'ascii'));
const toHex = (bytes: Uint8Array): Hex => `0x${Buffer.from(bytes).toString('hex')}`;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isInteger = (value: unknown, min: number): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
const isHexOf = (value: unknown, bytes: number): value is Hex => typeof value === 'string' && new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`).test(value);

/**
 * RFC 9162 Merkle tree hash of the subtree that holds leaf `index` of `size` leaves,
 * from the leaf and its audit path (bottom-up, as the RFC orders it): the last path
 * element is the sibling of the largest subtree, split at the largest power of two
 * smaller than `size`. Null when the path has the wrong length.
 */
function subtreeRoot(index: number, size: number, leaf: Uint8Array, path: readonly Uint8Array[]): Uint8Array | null {
  if (size === 1) return path.length === 0 ? leaf : null;
  if (path.length === 0) return null;
  let split = 1;
  while (split * 2 < size) split *= 2;
  const sibling = path[path.length - 1]!;
  const below = path.slice(0, -1);
  if (index < split) {
    const left = subtreeRoot(index, split, leaf, below);
    return left && sha256(concat(Uint8Array.of(0x01), left, sibling));
  }
  const right = subtreeRoot(index - split, size - split, leaf, below);
  return right && sha256(concat(Uint8Array.of(0x01), sibling, right));
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58btc(text: string): Uint8Array {
  let value = 0n;
  for (const char of text) {
    const digit = BASE58.indexOf(char);
    if (digit < 0) throw new Error(`'${char}' is not a base58 digit`);
    value = value * 58n + BigInt(digit);
  }
  const hex = value === 0n ? '' : value.toString(16);
  const body = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  const zeros = text.length - text.replace(/^1+/, '').length;
  return concat(new Uint8Array(zeros), body);
}

/** The Ed25519 public key of a did:key (multicodec 0xed 0x01) or an OKP Ed25519 did:jwk. */
function ed25519KeyOf(did: string): Uint8Array {
  if (did.startsWith('did:key:z')) {
    const bytes = base58btc(did.slice('did:key:z'.length));
    if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) throw new Error(`${did} is not an Ed25519 did:key`);
    return bytes.subarray(2);
  }
  if (did.startsWith('did:jwk:')) {
    const jwk = JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString('utf8')) as Record<string, unknown>;
    const x = jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.d === undefined ? base64url(jwk.x, 32) : null;
    if (!x) throw new Error(`${did} is not a public Ed25519 did:jwk`);
    return x;
  }
  throw new Error(`${did} is neither a did:key nor a did:jwk`);
}

/** The holder's signature on the receipt JWT: EdDSA by the pairwise DID in `iss`; an `exp` in the past is fine. */
function checkReceiptSignature(receipt: string): void {
  const [headerPart, payloadPart, signaturePart] = receipt.split('.') as [string, string, string];
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as Record<string, unknown>;
    payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new StepFailure('receipt signature', 'the receipt JWT does not decode to JSON');
  }
  must(header.alg === 'EdDSA', 'receipt signature', `the receipt is signed with ${String(header.alg)}, not EdDSA`);
  const iss = payload.iss;
  must(typeof iss === 'string' && iss.startsWith('did:'), 'receipt signature', 'the receipt has no issuer DID');
  const vc = payload.vc;
  must(isRecord(vc) && Array.isArray(vc.type) && vc.type.includes('ConsentReceipt'), 'receipt signature', 'the receipt is not a ConsentReceipt');
  const vcIssuer = isRecord(vc.issuer) ? vc.issuer.id : vc.issuer;
  must(vcIssuer === iss, 'receipt signature', 'the receipt names two issuers');
  must(typeof header.kid !== 'string' || header.kid.startsWith(`${iss}#`), 'receipt signature', 'the receipt is signed by a key of another DID');
  let key: Uint8Array;
  try {
    key = ed25519KeyOf(iss);
  } catch (error) {
    throw new StepFailure('receipt signature', (error as Error).message);
  }
  const signature = base64url(signaturePart, 64);
  must(signature !== null, 'receipt signature', 'the receipt signature is not 64 bytes of base64url');
  must(ed25519.verify(signature, ascii(`${headerPart}.${payloadPart}`), key), 'receipt signature', `the signature does not verify with the key of ${iss}`);
}

/** Verifies `input` as §6 says, against the node at `rpcUrl`. */
export async function verifyAsDesigned(input: unknown, rpcUrl: string): Promise<DesignVerdict> {
  try {
    return await verify(input, rpcUrl);
  } catch (error) {
    if (error instanceof StepFailure) return { verdict: 'invalid', failedStep: error.step, reason: error.message };
    throw error;
  }
}

async function verify(input: unknown, rpcUrl: string): Promise<DesignVerdict> {
  // The proof's members and their §6 encodings.
  must(isRecord(input) && input.v === 1, 'proof shape', 'not a version 1 receipt proof');
  const { receipt, entry, salt, leafIndex, treeSize, inclusion, root, anchor } = input;
  must(typeof receipt === 'string' && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(receipt), 'proof shape', 'receipt is not a JWT');
  must(isRecord(entry), 'proof shape', 'entry is not an object');
  const saltBytes = base64url(salt, 16);
  must(saltBytes, 'proof shape', 'salt is not 16 bytes of base64url');
  must(isInteger(leafIndex, 0) && isInteger(treeSize, 1), 'proof shape', 'leafIndex or treeSize is not a number');
  must(Array.isArray(inclusion), 'proof shape', 'inclusion is not an array');
  const path = inclusion.map((hash) => base64url(hash, 32));
  must(path.every((hash) => hash !== null), 'proof shape', 'an inclusion hash is not 43 characters of base64url');
  const rootBytes = base64url(root, 32);
  must(rootBytes, 'proof shape', 'root is not 43 characters of base64url');
  must(isRecord(anchor), 'proof shape', 'anchor is not an object');
  const { chainId, contract, account, logId, txHash, blockNumber } = anchor;
  must(isInteger(chainId, 1) && isInteger(blockNumber, 0), 'proof shape', 'anchor.chainId or anchor.blockNumber is not a number');
  must(isHexOf(contract, 20) && isHexOf(account, 20) && isHexOf(logId, 32) && isHexOf(txHash, 32), 'proof shape', 'an anchor address or hash is not 0x-hex');

  // entry.kind is grant.given.
  must(entry.kind === 'grant.given', 'entry kind', `the entry is ${String(entry.kind)}`);

  // base64url SHA-256(the 16 salt bytes ‖ the receipt JWT's ASCII bytes) = entry.digest.
  const digest = Buffer.from(sha256(concat(saltBytes, ascii(receipt)))).toString('base64url');
  must(digest === entry.digest, 'digest', 'the salted receipt hash is not the entry digest');

  // leaf = SHA-256(0x00 ‖ UTF-8 of JCS(entry)); the RFC 9162 path at leafIndex (= seq) in treeSize gives root.
  must(leafIndex === entry.seq, 'inclusion', 'leafIndex is not the entry seq');
  must(leafIndex < treeSize, 'inclusion', 'leafIndex is outside the tree');
  const jcs = canonicalize(entry);
  must(jcs !== undefined, 'inclusion', 'the entry has no canonical JSON');
  const leaf = sha256(concat(Uint8Array.of(0x00), new Uint8Array(Buffer.from(jcs, 'utf8'))));
  const computed = subtreeRoot(leafIndex, treeSize, leaf, path as Uint8Array[]);
  must(computed !== null && Buffer.from(computed).equals(Buffer.from(rootBytes)), 'inclusion', 'the inclusion path does not give the root');

  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) });

  // The node's chain id is chainId.
  must((await client.getChainId()) === chainId, 'chain id', 'the node is another chain');

  // The transaction succeeded, was sent by account, sits in blockNumber, and has an
  // Anchored(logId, treeSize, root) log from contract.
  const mined = await client.getTransactionReceipt({ hash: txHash }).catch(() => null);
  must(mined, 'anchor transaction', 'the anchor transaction is not mined');
  must(mined.status === 'success', 'anchor transaction', 'the anchor transaction reverted');
  must(mined.from.toLowerCase() === account.toLowerCase(), 'anchor transaction', 'the anchor was sent by another account');
  must(mined.blockNumber === BigInt(blockNumber), 'anchor transaction', 'the anchor is in another block');
  const anchored = parseEventLogs({ abi: TESSERA_ANCHOR, eventName: 'Anchored', logs: mined.logs }).filter(
    (log) =>
      log.address.toLowerCase() === contract.toLowerCase() &&
      log.args.logId.toLowerCase() === logId.toLowerCase() &&
      log.args.treeSize === BigInt(treeSize) &&
      log.args.root.toLowerCase() === toHex(rootBytes),
  );
  must(anchored.length > 0, 'anchor transaction', 'the transaction has no Anchored(logId, treeSize, root) from the contract');

  // revokedAt(account, SHA-256(receipt)) says whether and when the grant was revoked.
  const revokedAt = await client.readContract({ address: contract, abi: TESSERA_ANCHOR, functionName: 'revokedAt', args: [account, toHex(sha256(ascii(receipt)))] });

  // The receipt's signature verifies against the holder's pairwise DID.
  checkReceiptSignature(receipt);

  return revokedAt === 0n ? { verdict: 'valid', revokedAtBlock: null } : { verdict: 'revoked', revokedAtBlock: Number(revokedAt) };
}
