import type { Wallet } from '../../core/wallet/wallet.ts';

/** Who is calling: the origin comes from the runtime sender, never from the message. */
export interface MethodCall {
  origin: string;
  /** Unique per page request; ties an approval's answer to the request. */
  requestId: string;
}

/**
 * One website-facing method: `flow` picks the one part of the wallet it needs, so a
 * method file depends on that flow alone (and its test can hand it just that).
 */
export interface MethodHandler<F = unknown> {
  flow: (wallet: Wallet) => F | Promise<F>;
  run: (flow: F, call: MethodCall, params: unknown) => Promise<unknown>;
}

export const defineMethod = <F>(handler: MethodHandler<F>): MethodHandler => handler as MethodHandler;
