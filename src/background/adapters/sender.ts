import browser from 'webextension-polyfill';

/**
 * Who sent a runtime message, decided by the receiver from the runtime `sender`
 * (never from the payload): one of this extension's pages, a web page (through our
 * content script), or nobody we serve.
 */
export type SenderTier = { tier: 'extension' } | { tier: 'page'; origin: string; tabId: number } | { tier: 'untrusted' };

export function classifySender(sender: browser.Runtime.MessageSender): SenderTier {
  if (sender.id !== browser.runtime.id) return { tier: 'untrusted' };
  const extensionOrigin = new URL(browser.runtime.getURL('/')).origin;
  const origin = senderOrigin(sender);
  if (!origin) return { tier: 'untrusted' };
  if (origin === extensionOrigin) return { tier: 'extension' };
  if (sender.tab?.id === undefined) return { tier: 'untrusted' };
  const protocol = new URL(origin).protocol;
  if (protocol !== 'http:' && protocol !== 'https:') return { tier: 'untrusted' };
  return { tier: 'page', origin, tabId: sender.tab.id };
}

/** Chrome provides `sender.origin`; Firefox only `sender.url`. Opaque origins are refused. */
function senderOrigin(sender: browser.Runtime.MessageSender): string | null {
  const raw = (sender as { origin?: string }).origin ?? (sender.url ? safeOrigin(sender.url) : null);
  return raw && raw !== 'null' ? raw : null;
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
