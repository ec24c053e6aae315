/**
 * TEST ONLY. Receipt proofs with one member altered, each the way an attacker (or a
 * corrupted copy) would change it, and the check that must catch it. Shared by the
 * core verifier's tests, the CLI's and the independent verifier's, so all three are
 * held to the same cases.
 */
import type { ReceiptProof } from '../../../src/protocol/receipt-proof.ts';

export interface TamperCase {
  name: string;
  tamper: (proof: ReceiptProof) => ReceiptProof;
  /** The first check that fails (core's check name). */
  failsAt: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A base64url string with its first character changed (still canonical, same length). */
export function flipFirst(text: string): string {
  const next = ALPHABET[(ALPHABET.indexOf(text[0]!) + 1) % 64]!;
  return next + text.slice(1);
}

/** The JWT with one character of its payload changed: a receipt saying something else. */
function alterReceipt(jwt: string): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const i = Math.floor(payload.length / 2);
  return `${header}.${payload.slice(0, i)}${flipFirst(payload.slice(i))}.${signature}`;
}

export const TAMPER_CASES: readonly TamperCase[] = [
  { name: 'receipt', tamper: (p) => ({ ...p, receipt: alterReceipt(p.receipt) }), failsAt: 'digest' },
  { name: 'salt', tamper: (p) => ({ ...p, salt: flipFirst(p.salt) }), failsAt: 'digest' },
  { name: 'inclusion path element', tamper: (p) => ({ ...p, inclusion: p.inclusion.map((h, i) => (i === 1 ? flipFirst(h) : h)) }), failsAt: 'inclusion' },
  { name: 'root', tamper: (p) => ({ ...p, root: flipFirst(p.root) }), failsAt: 'inclusion' },
  { name: 'entry', tamper: (p) => ({ ...p, entry: { ...p.entry, subject: `${p.entry.subject}-other` } }), failsAt: 'inclusion' },
  { name: 'treeSize (smaller)', tamper: (p) => ({ ...p, treeSize: p.treeSize - 1 }), failsAt: 'inclusion' },
  { name: 'anchor account', tamper: (p) => ({ ...p, anchor: { ...p.anchor, account: otherAddress(p.anchor.account) } }), failsAt: 'anchor transaction' },
];

/** A different, well-formed address. */
export function otherAddress(address: string): `0x${string}` {
  const last = address.at(-1) === '0' ? '1' : '0';
  return `0x${address.slice(2, -1)}${last}`;
}
