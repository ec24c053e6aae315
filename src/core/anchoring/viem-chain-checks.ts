/** What the viem chain client checks of its input before anything reaches a node. */
import { toHex, type Hex } from 'viem';

export function privateKeyHex(privateKey: Uint8Array): Hex {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) {
    throw new Error(`An anchoring account's private key is 32 bytes, not ${privateKey instanceof Uint8Array ? privateKey.length : typeof privateKey}.`);
  }
  return toHex(privateKey);
}

export function assertRpcUrl(rpcUrl: string): void {
  let url: URL;
  try {
    url = new URL(rpcUrl);
  } catch {
    throw new Error(`The chain's RPC URL ${JSON.stringify(rpcUrl)} is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`The chain's RPC URL must be http: or https:, not ${url.protocol} (${rpcUrl}).`);
}

export function checkedHex(value: Hex, what: string): Hex {
  if (typeof value !== 'string' || !/^0x(?:[0-9a-fA-F]{2})*$/.test(value)) throw new Error(`The ${what} is not 0x-hex bytes: ${JSON.stringify(value)}.`);
  return value;
}

export function checkedBytes32(value: Hex, what: string): Hex {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(value)) throw new Error(`The ${what} is not 32 bytes of 0x-hex: ${JSON.stringify(value)}.`);
  return value;
}

export function checkedAddress(value: Hex): Hex {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(value)) throw new Error(`Not an Ethereum address (20 bytes of 0x-hex): ${JSON.stringify(value)}.`);
  return value;
}
