/**
 * Baseline inpage script (MAIN world): `window.baselineWallet.request(kind)` returns a
 * promise that settles with the service worker's answer.
 */
(() => {
  const CONTENT_TARGET = 'baseline-content';
  const INPAGE_TARGET = 'baseline-inpage';
  const pending = new Map();

  window.addEventListener('message', (event) => {
    if (event.source !== window) return;
    const data = event.data;
    if (!data || data.target !== INPAGE_TARGET) return;
    const waiting = pending.get(data.id);
    if (!waiting) return;
    pending.delete(data.id);
    const reply = data.reply;
    if (reply && reply.ok) waiting.resolve(reply.result);
    else waiting.reject(new Error((reply && reply.error) || 'no answer'));
  });

  function request(kind) {
    const id = crypto.randomUUID();
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      window.postMessage({ target: CONTENT_TARGET, id, kind }, '*');
    });
  }

  Object.defineProperty(window, 'baselineWallet', {
    value: Object.freeze({ request }),
    writable: false,
    configurable: false,
    enumerable: true,
  });
})();
