/**
 * What the bridge does with one page request, free of browser globals so it can be
 * tested with a fake runtime: refuse what is over the bounds without forwarding it,
 * send the rest, and re-attach when the service worker restarts mid-request.
 */
import type { BackgroundReply, ContentToBackground } from '../protocol/envelope.ts';
import { invalidParams, RpcErrorCode } from '../protocol/errors.ts';
import { checkRequestBounds, describeBoundsFailure } from '../protocol/limits.ts';

/** How often to re-attach when the worker restarts mid-request before giving up. */
export const MAX_REATTACH = 20;
export const REATTACH_DELAY_MS = 250;

export interface RelayRuntime {
  /** `runtime.sendMessage`: rejects when the channel broke. */
  sendMessage(message: ContentToBackground): Promise<unknown>;
  newRequestId(): string;
  sleep(ms: number): Promise<void>;
}

/**
 * One page request, answered. A request over the bounds (64 KiB, nesting, member
 * counts) gets -32602 here and is never sent on, so nothing oversized reaches the
 * worker or its session storage.
 */
export async function relayRequest(runtime: RelayRuntime, request: unknown): Promise<BackgroundReply> {
  const bounds = checkRequestBounds(request, { root: 'request' });
  if (!bounds.ok) return { ok: false, error: invalidParams(describeBoundsFailure(bounds)).toJSON() };
  const requestId = runtime.newRequestId();
  return await send(runtime, { channel: 'page', type: 'rpc', requestId, request }, requestId);
}

/**
 * Sends and waits. If the channel breaks (the service worker was stopped while the
 * user decides), re-attach to the same request: the background kept it.
 */
async function send(runtime: RelayRuntime, message: ContentToBackground, requestId: string): Promise<BackgroundReply> {
  let next: ContentToBackground = message;
  let resent = false;
  for (let attempt = 0; attempt <= MAX_REATTACH; attempt++) {
    try {
      const reply = (await runtime.sendMessage(next)) as BackgroundReply | undefined;
      // The worker never saw the first send (it was stopping): send it again, once. The
      // router marks that answer with `unknownRequest`; its wording is not a contract.
      if (next.type === 'await' && !resent && isReply(reply) && !reply.ok && reply.unknownRequest === true) {
        resent = true;
        next = message;
        continue;
      }
      if (isReply(reply)) return reply;
      // No answer at all: the worker stopped while it held the message (the page tier
      // always answers). Like a broken channel, re-attach to the request it kept.
    } catch (error) {
      if (isContextInvalidated(error)) {
        return { ok: false, error: { code: RpcErrorCode.disconnected, message: 'The wallet was updated or removed; reload the page.' } };
      }
    }
    next = { channel: 'page', type: 'await', requestId };
    await runtime.sleep(REATTACH_DELAY_MS);
  }
  return { ok: false, error: { code: RpcErrorCode.internal, message: 'The wallet did not answer.' } };
}

const isReply = (reply: unknown): reply is BackgroundReply => typeof reply === 'object' && reply !== null && 'ok' in reply;

function isContextInvalidated(error: unknown): boolean {
  return error instanceof Error && /context invalidated/i.test(error.message);
}
