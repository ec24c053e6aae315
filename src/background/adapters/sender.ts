import browser from 'webextension-polyfill';

/**
 * Who sent a runtime message, decided by the receiver from the runtime `sender`
 * (never from the payload): one of this extension's pages, a web page (through our
 * content script), or nobody we serve.
 *
 * A page's `crossOriginFrame` is true when the message came from a frame whose origin
 * differs from its tab's top-level origin (DESIGN.md §3.2: such a request is refused
 * with 4100 and opens nothing). Chrome gives a content script's sender its `frameId`
 * (0 = the top frame) and the tab's URL unscrubbed — no `tabs` or host permission is
 * needed; Firefox does the same (verified in firefox-esr 153, test/e2e-firefox). When the
 * top-level origin cannot be told, a sub-frame counts as cross-origin.
 *
 * `opaque-page` is our content script in a document with an opaque origin (a sandboxed
 * frame, `sender.origin` "null" in Chrome and Firefox alike): it is refused with 4100,
 * never served under the origin its URL would suggest.
 */
export type SenderTier =
  | { tier: 'extension' }
  | { tier: 'page'; origin: string; tabId: number; crossOriginFrame: boolean }
  | { tier: 'opaque-page'; tabId: number }
  | { tier: 'untrusted' };

export function classifySender(sender: browser.Runtime.MessageSender): SenderTier {
  if (sender.id !== browser.runtime.id) return { tier: 'untrusted' };
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;
  const origin = senderOrigin(sender);
  if (origin === 'null' && sender.tab?.id !== undefined) return { tier: 'opaque-page', tabId: sender.tab.id };
  if (!origin || origin === 'null') return { tier: 'untrusted' };
  if (origin === extensionOrigin) return { tier: 'extension' };
  if (sender.tab?.id === undefined) return { tier: 'untrusted' };
  const protocol = new URL(origin).protocol;
  if (protocol !== 'http:' && protocol !== 'https:') return { tier: 'untrusted' };
  return { tier: 'page', origin, tabId: sender.tab.id, crossOriginFrame: isCrossOriginFrame(sender, origin) };
}

/** The top frame is never cross-origin; any other frame must share the tab's top-level origin. */
function isCrossOriginFrame(sender: browser.Runtime.MessageSender, origin: string): boolean {
  if (sender.frameId === 0) return false;
  const topOrigin = sender.tab?.url ? safeOrigin(sender.tab.url) : null;
  return topOrigin === null || topOrigin === 'null' || topOrigin !== origin;
}

/**
 * `sender.origin` only (Chrome 80+, Firefox 126+ give it for pages and extension pages).
 * Never `sender.url`: a sandboxed frame's URL names its server's origin, while the
 * document's origin is opaque ("null"), which only `sender.origin` tells.
 */
function senderOrigin(sender: browser.Runtime.MessageSender): string | null {
  const raw = (sender as { origin?: unknown }).origin;
  return typeof raw === 'string' && raw !== '' ? raw : null;
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
