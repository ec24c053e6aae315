import * as v from 'valibot';
import type { BackgroundReply } from '../../protocol/envelope.ts';
import { invalidParams, unsupportedMethod, WalletError, RpcErrorCode, UNKNOWN_REQUEST } from '../../protocol/errors.ts';
import { checkRequestBounds, describeBoundsFailure } from '../../protocol/limits.ts';
import { RpcRequestSchema } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import type { Wallet } from '../../core/wallet/wallet.ts';
import { methodHandlers } from '../methods/index.ts';
import { isUnexpected, toRpcError } from './rpc-errors.ts';

const RequestIdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{16,64}$/));
const PageMessageSchema = v.variant('type', [
  v.strictObject({ channel: v.literal('page'), type: v.literal('rpc'), requestId: RequestIdSchema, request: v.unknown() }),
  v.strictObject({ channel: v.literal('page'), type: v.literal('await'), requestId: RequestIdSchema }),
]);

/**
 * The untrusted tier: web pages, through our content script. The origin is the
 * sender's, decided by the caller (classifySender); nothing in the message can change it.
 */
export async function routePageMessage(wallet: Wallet, origin: string, message: unknown): Promise<BackgroundReply> {
  try {
    const parsed = v.safeParse(PageMessageSchema, message);
    if (!parsed.success) throw new WalletError(RpcErrorCode.invalidRequest, 'Malformed request envelope.');
    const { requestId } = parsed.output;
    if (parsed.output.type === 'await') return await reattach(wallet, origin, requestId);
    if (typeof parsed.output.request !== 'object' || parsed.output.request === null) {
      throw invalidParams('request must be an object with a method');
    }
    // The receiver checks the bounds too (the content script did): nothing oversized or
    // absurdly deep reaches a schema, a hash or storage.session.
    const bounds = checkRequestBounds(parsed.output.request, { root: 'request' });
    if (!bounds.ok) throw invalidParams(describeBoundsFailure(bounds));
    const request = parseOrThrow(RpcRequestSchema, parsed.output.request, 'request');
    const handler = Object.hasOwn(methodHandlers, request.method) ? methodHandlers[request.method] : undefined;
    if (!handler) throw unsupportedMethod(request.method);
    const flow = await handler.flow(wallet);
    return { ok: true, result: await handler.run(flow, { origin, requestId }, request.params) };
  } catch (error) {
    if (isUnexpected(error)) console.error('Tessera: page request failed', error);
    return { ok: false, error: toRpcError(error) };
  }
}

/** A page whose channel broke asks again for its request's answer; an unknown one is marked so the page re-sends once. */
async function reattach(wallet: Wallet, origin: string, requestId: string): Promise<BackgroundReply> {
  const answer = await wallet.desk.reattach(origin, requestId);
  if (!answer) return { ok: false, error: { code: RpcErrorCode.internal, message: UNKNOWN_REQUEST }, unknownRequest: true };
  return { ok: true, result: answer.result };
}
