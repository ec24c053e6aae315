import { WalletError } from '../../protocol/errors.ts';

/** The `{ code, message }` a site would see when `promise` rejects; fails if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WalletError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a rejection');
}
