import type { Wallet } from '../../core/wallet/wallet.ts';

/** What every website-facing method handler receives: the origin comes from the sender. */
export interface MethodContext {
  wallet: Wallet;
  origin: string;
  /** Unique per page request; ties an approval's answer to the request. */
  requestId: string;
}

export type MethodHandler = (context: MethodContext, params: unknown) => Promise<unknown>;
