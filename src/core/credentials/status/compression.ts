import { base64urlnopad } from '@scure/base';
import { BodyTooLargeError, readCappedBytes } from '../../net/capped-body.ts';
import { invalidList } from './status-list-error.ts';

/**
 * The largest status list the wallet expands (16 MiB: 16.7 million 8-bit statuses or
 * 134 million 1-bit ones). A list that inflates beyond this is refused, so a small
 * "compression bomb" from a hostile list server cannot exhaust the service worker.
 */
export const MAX_STATUS_LIST_BYTES = 16 * 1024 * 1024;

/** Strict base64url without padding (a trailing `=` run is tolerated and dropped). */
export function decodeBase64Url(text: string, what: string): Uint8Array<ArrayBuffer> {
  const unpadded = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(unpadded)) throw invalidList(`${what} is not base64url`);
  try {
    return new Uint8Array(base64urlnopad.decode(unpadded));
  } catch {
    throw invalidList(`${what} is not base64url`);
  }
}

/**
 * Expands GZIP (RFC 1952, W3C Bitstring Status List) or ZLIB (RFC 1950, "deflate" in
 * the Compression Streams API; IETF Token Status List) data with the platform's
 * DecompressionStream, available in browsers, service workers and Node alike.
 */
export async function inflate(
  compressed: Uint8Array<ArrayBuffer>,
  format: 'gzip' | 'deflate',
  maxBytes: number = MAX_STATUS_LIST_BYTES,
): Promise<Uint8Array<ArrayBuffer>> {
  const label = format === 'gzip' ? 'GZIP' : 'ZLIB';
  const inflated = new Blob([compressed]).stream().pipeThrough(new DecompressionStream(format));
  try {
    return await readCappedBytes(inflated, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw invalidList(`the status list expands to more than ${maxBytes} bytes`);
    throw invalidList(`the status list is not valid ${label} data`);
  }
}
