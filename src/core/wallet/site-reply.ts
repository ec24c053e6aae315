import { DomainError, isDomainError, type DomainErrorCode } from '../errors.ts';

/**
 * The answer a waiting page request gets, as core stores it: a result, or a domain
 * error the page router maps to an RPC code when it delivers it.
 */
export type SiteReply = { ok: true; result: unknown } | { ok: false; error: { code: DomainErrorCode; message: string } };

/** Anything thrown, as the reply a site may see: domain errors keep their code, internals never leak. */
export function failureReply(error: unknown): SiteReply {
  if (isDomainError(error)) return { ok: false, error: { code: error.code, message: error.message } };
  console.error('Tessera: request failed', error);
  return { ok: false, error: { code: 'internal', message: 'Internal wallet error.' } };
}

export function unwrapReply(reply: SiteReply): unknown {
  if (reply.ok) return reply.result;
  throw new DomainError(reply.error.code, reply.error.message);
}
