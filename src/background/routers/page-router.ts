import * as v from 'valibot';
import type { BackgroundReply } from '../../protocol/envelope.ts';
import { invalidParams, toRpcError, unsupportedMethod, WalletError, RpcErrorCode } from '../../protocol/errors.ts';
import { RpcRequestSchema } from '../../protocol/rpc.ts';
import { parseOrThrow } from '../../protocol/validate.ts';
import type { Wallet } from '../../core/wallet/wallet.ts';
import { methodHandlers } from '../methods/index.ts';

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
    if (parsed.output.type === 'await') return { ok: true, result: await wallet.awaitReply(origin, requestId) };
    if (typeof parsed.output.request !== 'object' || parsed.output.request === null) {
      throw invalidParams('request must be an object with a method');
    }
    const request = parseOrThrow(RpcRequestSchema, parsed.output.request, 'request');
    const handler = Object.hasOwn(methodHandlers, request.method) ? methodHandlers[request.method] : undefined;
    if (!handler) throw unsupportedMethod(request.method);
    return { ok: true, result: await handler({ wallet, origin, requestId }, request.params) };
  } catch (error) {
    if (!(error instanceof WalletError)) console.error('Tessera: page request failed', error);
    return { ok: false, error: toRpcError(error) };
  }
}
