import { sha256 } from '@noble/hashes/sha2';
import type { Hex } from '../../protocol/receipt-proof.ts';
import { toHex } from '../encoding.ts';

/** SHA-256 of the receipt JWT's ASCII bytes, 0x-hex: the `receiptHash` of TesseraAnchor (DESIGN.md §6). */
export function receiptHash(receipt: string): Hex {
  return `0x${toHex(sha256(asciiBytes(receipt)))}`;
}

export function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) throw new RangeError('A receipt JWT is ASCII');
    bytes[i] = code;
  }
  return bytes;
}
