/**
 * The bridge (isolated world): checks the inpage envelope and the request's bounds,
 * forwards it to the background, relays the answer (see relay.ts). It stamps nothing
 * — the background takes the origin from the runtime sender — and it keeps no wallet state.
 */
import browser from 'webextension-polyfill';
import * as v from 'valibot';
import {
  CONTENT_TARGET,
  INPAGE_TARGET,
  PageRequestEnvelope,
  type BackgroundToContent,
  type ContentToBackground,
  type InpageEnvelope,
} from '../protocol/envelope.ts';
import { relayRequest, type RelayRuntime } from './relay.ts';
import { watchOfferLinks } from './offer-links.ts';

const runtime: RelayRuntime = {
  sendMessage: (message: ContentToBackground) => browser.runtime.sendMessage(message),
  newRequestId: () => crypto.randomUUID(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window || (event.data as { target?: unknown } | null)?.target !== CONTENT_TARGET) return;
  const parsed = v.safeParse(PageRequestEnvelope, event.data);
  if (!parsed.success) return;
  void forward(parsed.output.id, parsed.output.request);
});

// A user's click on an openid-credential-offer:// link becomes an offer to the wallet.
watchOfferLinks(document, (message) => void browser.runtime.sendMessage(message).catch(() => undefined));

browser.runtime.onMessage.addListener((message: unknown) => {
  const m = message as BackgroundToContent;
  if (m?.channel !== 'wallet-event') return undefined;
  // The worker names the one origin an event is for (lock changes go to each origin with a grant).
  if (m.origin === window.location.origin) post({ target: INPAGE_TARGET, type: 'event', event: m.event, data: m.data });
  return undefined;
});

async function forward(envelopeId: string, request: unknown): Promise<void> {
  const reply = await relayRequest(runtime, request);
  post(
    reply.ok
      ? { target: INPAGE_TARGET, type: 'response', id: envelopeId, result: reply.result }
      : { target: INPAGE_TARGET, type: 'response', id: envelopeId, error: reply.error },
  );
}

function post(envelope: InpageEnvelope): void {
  // Same-window delivery: '*' also works on pages with an opaque origin.
  window.postMessage(envelope, '*');
}
