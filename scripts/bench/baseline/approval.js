/** Baseline approval page: sends the decision for the request in `?id=` and closes. */
const id = new URLSearchParams(location.search).get('id');

function decide(approve) {
  chrome.runtime.sendMessage({ kind: 'decision', id, approve }).finally(() => window.close());
}

document.querySelector('[data-testid="approve"]').addEventListener('click', () => decide(true));
document.querySelector('[data-testid="reject"]').addEventListener('click', () => decide(false));
