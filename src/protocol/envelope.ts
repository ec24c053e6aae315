import * as v from 'valibot';

/**
 * The window.postMessage envelope between the inpage provider (MAIN world) and the
 * content script (isolated world). Tagged so unrelated page messages are ignored.
 */
export const INPAGE_TARGET = 'tessera-inpage';
export const CONTENT_TARGET = 'tessera-content';

export const EnvelopeIdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9-]{1,64}$/),
);

/** inpage → content: one provider request. */
export const PageRequestEnvelope = v.strictObject({
  target: v.literal(CONTENT_TARGET),
  type: v.literal('request'),
  id: EnvelopeIdSchema,
  request: v.unknown(),
});
export type PageRequestEnvelope = v.InferOutput<typeof PageRequestEnvelope>;

/** content → inpage. */
export type InpageEnvelope =
  | { target: typeof INPAGE_TARGET; type: 'response'; id: string; result: unknown }
  | { target: typeof INPAGE_TARGET; type: 'response'; id: string; error: { code: number; message: string } }
  | { target: typeof INPAGE_TARGET; type: 'event'; event: string; data: unknown };

/** content → background runtime messages. The origin is never part of them. */
export type ContentToBackground =
  | { channel: 'page'; type: 'rpc'; requestId: string; request: unknown }
  /** Re-attach to a request whose answer channel broke (service worker restarted). */
  | { channel: 'page'; type: 'await'; requestId: string };

/** background → content (tabs.sendMessage). */
export type BackgroundToContent = {
  channel: 'wallet-event';
  origin: string;
  event: string;
  data: unknown;
};

/** What the background answers to a content message. */
export type BackgroundReply =
  | { ok: true; result: unknown }
  | {
      ok: false;
      error: { code: number; message: string };
      /** Set on an `await` for a request the worker never saw or already answered (the content script re-sends once). */
      unknownRequest?: true;
    };
