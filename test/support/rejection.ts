import { isDomainError, type DomainErrorCode } from '../../src/core/errors.ts';

/** The domain error `promise` rejects with (the routers map it for the caller); fails if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<{ code: DomainErrorCode; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a rejection');
}
