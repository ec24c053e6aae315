import { hashJson, sha256, toHex } from '../encoding.ts';
import type { VpToken } from './vp-token.ts';

/** SHA-256 (hex) of one presentation as sent, for a grant record. */
export const hashPresentation = async (presentation: string): Promise<string> => toHex(await sha256(presentation));

/** Per query id, the hashes of its presentations, in order. */
export async function hashVpToken(vpToken: VpToken): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [queryId, presentations] of Object.entries(vpToken)) out[queryId] = await Promise.all(presentations.map(hashPresentation));
  return out;
}

/** SHA-256 (hex) of a request's parameters (canonical JSON), for a grant record. */
export const hashRequest = (data: unknown): Promise<string> => hashJson(data);
