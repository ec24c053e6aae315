import { base58 } from '@scure/base';
import { methodJwk, privateMembers } from '../credentials/issuer-key.ts';
import { decodeBase64Url, decodeCompactJwt, isObject, messageOf, verifyIssuerSignature } from '../credentials/formats/jws.ts';
import type { DidDocument, DidResolver, VerificationMethod } from '../credentials/types.ts';
import { fromUtf8, toBase64, toBase64Url, toHex } from '../encoding.ts';
import { CONSENT_RECEIPT_TYPE } from '../grants/consent-receipt.ts';
import { fromBase64Url } from '../ledger/base64url.ts';
import { receiptHash } from './receipt-hash.ts';
import { describe, receiptProofShapeError } from './receipt-proof-shape.ts';
import { entryLeafHash, payloadDigest, type LedgerEntry } from '../ledger/entry.ts';
import { rootFromInclusionProof } from '../ledger/merkle-verify.ts';
import { equalBytes } from '../ledger/merkle-hash.ts';
import type { AnchorChainReader, MinedChainTransaction } from '../ports.ts';
import type { Hex, ReceiptProof } from '../../protocol/receipt-proof.ts';

/**
 * Verifies a receipt proof (DESIGN.md §6, "Anyone verifies") with only the proof and
 * a chain node: the receipt is committed to by a `grant.given` ledger entry, that
 * entry is in the tree whose root was anchored on chain by the wallet's anchoring
 * account, the receipt is signed by the holder's pairwise DID, and whether that
 * account has since revoked it. Nothing of the wallet is needed.
 *
 * The checks run in a fixed order and stop at the first failure, so each failure
 * names one reason; the later checks are reported as not run.
 */
export const RECEIPT_CHECKS = [
  'proof shape',
  'entry kind',
  'digest',
  'inclusion',
  'checkpoint',
  'receipt signature',
  'chain id',
  'anchor transaction',
  'revocation',
] as const;
export type ReceiptCheckName = (typeof RECEIPT_CHECKS)[number];

export interface ReceiptCheck {
  check: ReceiptCheckName;
  /** true: holds; false: fails; null: not run (an earlier check failed). */
  ok: boolean | null;
  detail: string;
}

export interface ReceiptVerification {
  /** Every check holds (a revoked grant still verifies: see `revokedAtBlock`). */
  ok: boolean;
  checks: ReceiptCheck[];
  firstFailure: ReceiptCheckName | null;
  /** The block in which the anchoring account revoked the receipt; null if it has not (or a check failed). */
  revokedAtBlock: number | null;
}

type Outcome = { ok: true; detail: string } | { ok: false; detail: string };

const pass = (detail: string): Outcome => ({ ok: true, detail });
const fail = (detail: string): Outcome => ({ ok: false, detail });

export { receiptHash } from './receipt-hash.ts';
export { receiptProofShapeError } from './receipt-proof-shape.ts';

/** 0x-hex of a base64url 32-byte hash (how a root is written in an Anchored event). */
export const base64UrlHashToHex = (hash: string): Hex => `0x${toHex(fromBase64Url(hash))}`;

export async function verifyReceiptProof(input: unknown, chain: AnchorChainReader, rpcUrl: string): Promise<ReceiptVerification> {
  const checks: ReceiptCheck[] = [];
  let revokedAtBlock: number | null = null;
  const finish = (): ReceiptVerification => {
    const failed = checks.find((c) => c.ok === false);
    for (const check of RECEIPT_CHECKS.slice(checks.length)) {
      checks.push({ check, ok: null, detail: `not run: ${failed?.check ?? 'an earlier check'} failed` });
    }
    return { ok: !failed, checks, firstFailure: failed?.check ?? null, revokedAtBlock: failed ? null : revokedAtBlock };
  };
  const record = (check: ReceiptCheckName, outcome: Outcome) => {
    checks.push({ check, ...outcome });
    return outcome.ok;
  };

  const shape = receiptProofShapeError(input);
  if (!record('proof shape', shape === null ? pass('every member is present and encoded as DESIGN §6 says') : fail(shape))) return finish();
  const proof = input as ReceiptProof;

  if (!record('entry kind', checkKind(proof))) return finish();
  if (!record('digest', checkDigest(proof))) return finish();
  if (!record('inclusion', checkInclusion(proof))) return finish();
  if (!record('checkpoint', checkCheckpoint(proof))) return finish();
  if (!record('receipt signature', await checkReceiptSignature(proof.receipt))) return finish();
  if (!record('chain id', await askNode(rpcUrl, () => checkChainId(proof, chain, rpcUrl)))) return finish();
  if (!record('anchor transaction', await askNode(rpcUrl, () => checkAnchorTransaction(proof, chain, rpcUrl)))) return finish();
  const revocation = await askNode(rpcUrl, async () => {
    const { block, ...outcome } = await checkRevocation(proof, chain, rpcUrl);
    if (outcome.ok) revokedAtBlock = block;
    return outcome;
  });
  record('revocation', revocation);
  return finish();
}

/** A chain check whose node call threw fails with the node's error. */
async function askNode(rpcUrl: string, check: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await check();
  } catch (error) {
    return fail(`the node at ${rpcUrl} did not answer: ${messageOf(error)}`);
  }
}

// ---------------------------------------------------------------- ledger checks

function checkKind(proof: ReceiptProof): Outcome {
  return proof.entry.kind === 'grant.given'
    ? pass(`entry ${proof.entry.seq} records a grant given (subject ${JSON.stringify(proof.entry.subject)})`)
    : fail(`the entry is a ${JSON.stringify(proof.entry.kind)} entry, not grant.given, so it does not commit to a receipt`);
}

function checkDigest(proof: ReceiptProof): Outcome {
  const digest = payloadDigest(fromBase64Url(proof.salt), proof.receipt);
  return digest === proof.entry.digest
    ? pass('SHA-256(salt ‖ receipt) is the entry’s digest')
    : fail(`SHA-256(salt ‖ receipt) is ${digest}, not the entry’s digest ${proof.entry.digest}: the receipt or the salt is not the one the entry commits to`);
}

function checkInclusion(proof: ReceiptProof): Outcome {
  if (proof.leafIndex !== proof.entry.seq) return fail(`leafIndex ${proof.leafIndex} is not the entry’s seq ${proof.entry.seq}`);
  if (proof.leafIndex >= proof.treeSize) return fail(`leafIndex ${proof.leafIndex} is not inside a tree of ${proof.treeSize} entries`);
  const leaf = entryLeafHash(proof.entry as LedgerEntry);
  const computed = rootFromInclusionProof(proof.leafIndex, proof.treeSize, leaf, proof.inclusion.map(fromBase64Url));
  if (computed === null) {
    return fail(`a path of ${proof.inclusion.length} hashes does not fit leaf ${proof.leafIndex} in a tree of ${proof.treeSize}`);
  }
  return equalBytes(computed, fromBase64Url(proof.root))
    ? pass(`the path of ${proof.inclusion.length} hashes from leaf ${proof.leafIndex} gives the root of the tree of ${proof.treeSize}`)
    : fail(`the path from leaf ${proof.leafIndex} in a tree of ${proof.treeSize} gives the root ${toBase64Url(computed)}, not ${proof.root}`);
}

/**
 * The checkpoint (a C2SP signed note) must name the proof's size and root. Its
 * signature is by the wallet's ledger key, which the proof does not carry, so it
 * cannot be checked here; the anchor transaction is what binds the root.
 */
function checkCheckpoint(proof: ReceiptProof): Outcome {
  const note = proof.checkpoint;
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return fail('the checkpoint is not a signed note (a text, a blank line, then signature lines)');
  const [origin, size, root] = note.slice(0, split).split('\n');
  const signers = note
    .slice(split + 2, -1)
    .split('\n')
    .map((line) => /^\u2014 (\S+) [A-Za-z0-9+/]+={0,2}$/.exec(line)?.[1]);
  if (!origin || size === undefined || root === undefined) return fail('the checkpoint does not have the origin, size and root lines of a tlog checkpoint');
  if (signers.length === 0 || signers.some((name) => name === undefined)) return fail('the checkpoint’s signature lines are not of the form "— <key name> <base64>"');
  if (size !== String(proof.treeSize)) return fail(`the checkpoint names size ${JSON.stringify(size)}, not the proof’s treeSize ${proof.treeSize}`);
  const expectedRoot = toBase64(fromBase64Url(proof.root));
  if (root !== expectedRoot) return fail(`the checkpoint names root ${JSON.stringify(root)}, not the proof’s root (${expectedRoot} in base64)`);
  return pass(
    `"${origin}" at size ${size} with the proof’s root, signed by ${signers.join(', ')}; that signature needs the wallet’s ledger key, which the proof does not carry, so it is not checked (the anchor binds the root)`,
  );
}

// ---------------------------------------------------------------- the receipt

async function checkReceiptSignature(receipt: string): Promise<Outcome> {
  try {
    const jwt = decodeCompactJwt(receipt, 'The receipt');
    const { payload } = jwt;
    const iss = payload.iss;
    if (typeof iss !== 'string' || !iss.startsWith('did:')) return fail(`the receipt’s iss is ${describe(iss)}, not the holder’s pairwise DID`);
    const vc = payload.vc;
    if (!isObject(vc)) return fail('the receipt has no vc claim: it is not a consent receipt credential');
    const issuer = isObject(vc.issuer) ? vc.issuer.id : vc.issuer;
    if (issuer !== iss) return fail(`the receipt’s vc.issuer (${describe(issuer)}) is not its iss ${iss}`);
    if (!Array.isArray(vc.type) || !vc.type.includes(CONSENT_RECEIPT_TYPE)) {
      return fail(`the receipt’s vc.type (${JSON.stringify(vc.type) ?? 'missing'}) does not include ${CONSENT_RECEIPT_TYPE}`);
    }
    const key = await verifyIssuerSignature(jwt, iss, offlineDidResolver);
    return pass(`a ${CONSENT_RECEIPT_TYPE} signed with ${String(jwt.header.alg)} by the holder’s pairwise DID ${iss} (key ${key.kid})${expiryNote(payload.exp)}`);
  } catch (error) {
    return fail(messageOf(error));
  }
}

/** A passed `exp` is no failure: the receipt still proves what was agreed while the grant ran. */
function expiryNote(exp: unknown): string {
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return '';
  const at = new Date(exp * 1000);
  if (Number.isNaN(at.getTime())) return '';
  return at.getTime() <= Date.now()
    ? `; the grant ended at ${at.toISOString()}, and the receipt still proves what was agreed`
    : `; the grant runs until ${at.toISOString()}`;
}

/**
 * did:key (Ed25519) and did:jwk, resolved from the DID alone: pairwise DIDs are
 * offline methods, so verifying needs no resolver service (and not Veramo).
 */
const offlineDidResolver: DidResolver = {
  resolve: async (didUrl) => {
    const did = didUrl.split('#')[0]!;
    try {
      const document = did.startsWith('did:key:') ? didKeyDocument(did) : did.startsWith('did:jwk:') ? didJwkDocument(did) : null;
      return document
        ? { didDocument: document, didResolutionMetadata: {} }
        : { didDocument: null, didResolutionMetadata: { error: `only did:key and did:jwk are resolved offline, not ${did.split(':').slice(0, 2).join(':')}` } };
    } catch (error) {
      return { didDocument: null, didResolutionMetadata: { error: messageOf(error) } };
    }
  },
};

function didKeyDocument(did: string): DidDocument {
  const multibase = did.slice('did:key:'.length);
  if (!/^z[1-9A-HJ-NP-Za-km-z]+$/.test(multibase)) throw new Error(`${did} is not a base58btc did:key`);
  base58.decode(multibase.slice(1));
  const method: VerificationMethod = { id: `${did}#${multibase}`, type: 'Ed25519VerificationKey2020', controller: did, publicKeyMultibase: multibase };
  // methodJwk refuses anything but an Ed25519 key here.
  methodJwk(method);
  return { id: did, verificationMethod: [method], assertionMethod: [method.id] };
}

function didJwkDocument(did: string): DidDocument {
  const bytes = decodeBase64Url(did.slice('did:jwk:'.length));
  let jwk: unknown;
  try {
    jwk = bytes && JSON.parse(fromUtf8(bytes));
  } catch {
    jwk = null;
  }
  if (!isObject(jwk) || typeof jwk.kty !== 'string') throw new Error(`${did} does not hold a JWK`);
  if (jwk.kty === 'oct' || privateMembers(jwk).length > 0) throw new Error(`${did} holds private key material, so anyone can sign with it`);
  const method: VerificationMethod = { id: `${did}#0`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk as JsonWebKey };
  return { id: did, verificationMethod: [method], assertionMethod: jwk.use === 'enc' ? [] : [method.id] };
}

// ---------------------------------------------------------------- the chain

async function checkChainId(proof: ReceiptProof, chain: AnchorChainReader, rpcUrl: string): Promise<Outcome> {
  const id = await chain.chainId(rpcUrl);
  return id === proof.anchor.chainId
    ? pass(`the node at ${rpcUrl} is chain ${id}`)
    : fail(`the node at ${rpcUrl} is chain ${id}, but the receipt was anchored on chain ${proof.anchor.chainId}`);
}

const sameHex = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

async function checkAnchorTransaction(proof: ReceiptProof, chain: AnchorChainReader, rpcUrl: string): Promise<Outcome> {
  const { anchor } = proof;
  const tx: MinedChainTransaction | null = await chain.minedTransaction(rpcUrl, anchor.txHash);
  if (!tx) return fail(`the transaction ${anchor.txHash} is not mined on this chain (pending or unknown to the node)`);
  if (tx.status !== 'success') return fail(`the transaction ${anchor.txHash} reverted`);
  if (!sameHex(tx.from, anchor.account)) return fail(`the transaction was sent by ${tx.from}, not by the proof’s account ${anchor.account}`);
  if (tx.blockNumber !== anchor.blockNumber) return fail(`the transaction is in block ${tx.blockNumber}, not in block ${anchor.blockNumber} as the proof says`);
  const root = base64UrlHashToHex(proof.root);
  const fromContract = tx.anchored.filter((log) => sameHex(log.contract, anchor.contract));
  const match = fromContract.find((log) => sameHex(log.logId, anchor.logId) && log.treeSize === proof.treeSize && sameHex(log.root, root));
  if (match) {
    return pass(`${anchor.txHash} succeeded in block ${tx.blockNumber}, sent by ${tx.from}, with Anchored(${anchor.logId}, ${proof.treeSize}, ${root}) from ${anchor.contract}`);
  }
  if (fromContract.length === 0) return fail(`the transaction has no Anchored event from the contract ${anchor.contract}`);
  const logs = fromContract.map((log) => `Anchored(${log.logId}, ${log.treeSize}, ${log.root})`).join(', ');
  return fail(`the transaction’s ${logs} is not Anchored(${anchor.logId}, ${proof.treeSize}, ${root})`);
}

async function checkRevocation(proof: ReceiptProof, chain: AnchorChainReader, rpcUrl: string): Promise<Outcome & { block: number | null }> {
  const { contract, account } = proof.anchor;
  if (!(await chain.hasCode(rpcUrl, contract))) return { ...fail(`there is no contract at ${contract} to ask revokedAt`), block: null };
  const hash = receiptHash(proof.receipt);
  const block = await chain.revokedAt({ rpcUrl, contract }, account, hash);
  if (!Number.isSafeInteger(block) || block < 0) return { ...fail(`revokedAt answered ${String(block)}, not a block number`), block: null };
  return block === 0
    ? { ...pass(`not revoked: revokedAt(${account}, ${hash}) is 0`), block: null }
    : { ...pass(`revoked in block ${block} by the anchoring account ${account}`), block };
}
