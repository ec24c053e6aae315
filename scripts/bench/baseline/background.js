/**
 * Baseline service worker (module): the bare minimum a wallet does.
 * - `{kind:'ping'}` from a page is answered at once, no window.
 * - `{kind:'request'}` from a page opens approval.html in a popup window and keeps the
 *   sendResponse callback in memory until the approval page sends
 *   `{kind:'decision', id, approve}` (or the window is closed: rejected).
 * No validation beyond the sender check, no storage, no crypto: the yardstick.
 */

/** id -> { sendResponse, windowId } */
const pending = new Map();
const ownOrigin = chrome.runtime.getURL('');

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const kind = message && message.kind;
  const fromPage = sender.id === chrome.runtime.id && sender.tab !== undefined && !String(sender.url).startsWith(ownOrigin);
  const fromOwnPage = sender.id === chrome.runtime.id && String(sender.url).startsWith(ownOrigin);

  if (kind === 'ping' && fromPage) {
    sendResponse({ ok: true, result: 'pong' });
    return false;
  }

  if (kind === 'request' && fromPage) {
    const id = crypto.randomUUID();
    pending.set(id, { sendResponse, windowId: null });
    chrome.windows
      .create({
        url: chrome.runtime.getURL(`approval.html?id=${id}`),
        type: 'popup',
        width: 420,
        height: 640,
        focused: true,
      })
      .then(
        (win) => {
          const entry = pending.get(id);
          if (entry) entry.windowId = win.id ?? null;
        },
        (error) => {
          pending.delete(id);
          sendResponse({ ok: false, error: `could not open the approval window: ${error && error.message}` });
        },
      );
    return true; // answer later
  }

  if (kind === 'decision' && fromOwnPage) {
    const entry = pending.get(message.id);
    pending.delete(message.id);
    if (entry) entry.sendResponse(message.approve === true ? { ok: true, result: { approved: true } } : { ok: false, error: 'rejected' });
    sendResponse({ ok: entry !== undefined });
    return false;
  }

  return false;
});

// A window closed without a decision rejects its request.
chrome.windows.onRemoved.addListener((windowId) => {
  for (const [id, entry] of pending) {
    if (entry.windowId === windowId) {
      pending.delete(id);
      entry.sendResponse({ ok: false, error: 'window closed' });
    }
  }
});
