import { randomBytes, toBase64Url, toHex } from '../encoding.ts';
import type { AnchorChain } from '../ports.ts';
import type { AnchoringAccount } from './anchoring-records.ts';

/** A fresh anchoring account (secp256k1, kept in the vault) and this wallet's random `logId` (DESIGN.md §6). */
export async function newAnchoringAccount(chain: AnchorChain, now: number): Promise<AnchoringAccount> {
  const privateKey = randomBytes(32);
  return {
    privateKey: toBase64Url(privateKey),
    address: await chain.address(privateKey),
    logId: `0x${toHex(randomBytes(32))}`,
    createdAt: new Date(now).toISOString(),
  };
}
