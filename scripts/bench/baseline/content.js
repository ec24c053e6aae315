/**
 * Baseline content script (isolated world): relays the inpage envelope to the
 * service worker with runtime.sendMessage and posts the answer back.
 */
(() => {
  const CONTENT_TARGET = 'baseline-content';
  const INPAGE_TARGET = 'baseline-inpage';

  window.addEventListener('message', (event) => {
    if (event.source !== window) return;
    const data = event.data;
    if (!data || data.target !== CONTENT_TARGET || typeof data.id !== 'string') return;
    if (data.kind !== 'request' && data.kind !== 'ping') return;
    chrome.runtime.sendMessage({ kind: data.kind }).then(
      (reply) => post({ target: INPAGE_TARGET, id: data.id, reply }),
      (error) => post({ target: INPAGE_TARGET, id: data.id, reply: { ok: false, error: String((error && error.message) || error) } }),
    );
  });

  function post(envelope) {
    window.postMessage(envelope, '*');
  }
})();
