/**
 * Reads a response body with a counting reader that stops at a cap: the stream is
 * cancelled as soon as more than `maxBytes` have arrived, so a hostile server that
 * sends an endless (or merely huge) body costs at most the cap in memory. Never use
 * `response.text()` on a body whose size is not yet known.
 */
import { instanceofAcrossCopies } from '../cross-bundle.ts';

/** A body larger than the cap; the stream was cancelled when it passed it. */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the response is larger than ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}
// Made in one worker script and checked in another (cross-bundle.ts).
instanceofAcrossCopies(BodyTooLargeError, 'BodyTooLargeError');

/** The body's bytes (at most `maxBytes`); throws BodyTooLargeError past the cap. */
export async function readCappedBytes(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new BodyTooLargeError(maxBytes);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The body as UTF-8 text (malformed sequences replaced), read with the cap. */
export async function readCappedText(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readCappedBytes(body, maxBytes));
}
