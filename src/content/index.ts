/**
 * The bridge (isolated world): checks the inpage envelope, forwards it to the
 * background, relays the answer. It stamps nothing — the background takes the
 * origin from the runtime sender — and it keeps no wallet state.
 */
import browser from 'webextension-polyfill';
import * as v from 'valibot';
import {
  CONTENT_TARGET,
  INPAGE_TARGET,
  PageRequestEnvelope,
  type BackgroundReply,
  type BackgroundToContent,
  type ContentToBackground,
  type InpageEnvelope,
} from '../protocol/envelope.ts';
import { RpcErrorCode, UNKNOWN_REQUEST } from '../protocol/errors.ts';

/** How often to re-attach when the worker restarts mid-request before giving up. */
const MAX_REATTACH = 20;
const REATTACH_DELAY_MS = 250;

/** Lock/unlock events go only to pages that have used the provider. */
let usedProvider = false;

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window || (event.data as { target?: unknown } | null)?.target !== CONTENT_TARGET) return;
  const parsed = v.safeParse(PageRequestEnvelope, event.data);
  if (!parsed.success) return;
  usedProvider = true;
  void forward(parsed.output.id, parsed.output.request);
});

browser.runtime.onMessage.addListener((message: unknown) => {
  const m = message as BackgroundToContent;
  if (m?.channel !== 'wallet-event') return undefined;
  const forThisPage = m.origin === window.location.origin || (m.origin === '*' && usedProvider);
  if (forThisPage) post({ target: INPAGE_TARGET, type: 'event', event: m.event, data: m.data });
  return undefined;
});

async function forward(envelopeId: string, request: unknown): Promise<void> {
  const requestId = crypto.randomUUID();
  const reply = await send({ channel: 'page', type: 'rpc', requestId, request }, requestId);
  post(
    reply.ok
      ? { target: INPAGE_TARGET, type: 'response', id: envelopeId, result: reply.result }
      : { target: INPAGE_TARGET, type: 'response', id: envelopeId, error: reply.error },
  );
}

/**
 * Sends and waits. If the channel breaks (the service worker was stopped while the
 * user decides), re-attach to the same request: the background kept it.
 */
async function send(message: ContentToBackground, requestId: string): Promise<BackgroundReply> {
  let next: ContentToBackground = message;
  let resent = false;
  for (let attempt = 0; attempt <= MAX_REATTACH; attempt++) {
    try {
      const reply = (await browser.runtime.sendMessage(next)) as BackgroundReply | undefined;
      // The first send never reached the worker (it was stopping): send it again, once.
      if (next.type === 'await' && !resent && reply && !reply.ok && reply.error.message === UNKNOWN_REQUEST) {
        resent = true;
        next = message;
        continue;
      }
      if (reply && typeof reply === 'object' && 'ok' in reply) return reply;
      return { ok: false, error: { code: RpcErrorCode.internal, message: 'The wallet gave no answer.' } };
    } catch (error) {
      if (isContextInvalidated(error)) {
        return { ok: false, error: { code: RpcErrorCode.disconnected, message: 'The wallet was updated or removed; reload the page.' } };
      }
      next = { channel: 'page', type: 'await', requestId };
      await new Promise((resolve) => setTimeout(resolve, REATTACH_DELAY_MS));
    }
  }
  return { ok: false, error: { code: RpcErrorCode.internal, message: 'The wallet did not answer.' } };
}

function isContextInvalidated(error: unknown): boolean {
  return error instanceof Error && /context invalidated/i.test(error.message);
}

function post(envelope: InpageEnvelope): void {
  // Same-window delivery: '*' also works on pages with an opaque origin.
  window.postMessage(envelope, '*');
}
