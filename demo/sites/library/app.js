// Aldmere City Library: a library card under a data-access grant.
// Join:  POST /api/ask → wallet_requestDataAccess(params) → POST /api/grant { requestId, answer }
//        (the server verifies the presentation and the consent receipt, and keeps the grant id).
// Renew: POST /api/renew-request { grantId } → wallet_accessData { grantId, nonce } (no window)
//        → POST /api/renew { requestId, vp_token }; a 4100 means the permission is gone.
// Give up access: wallet_revokeGrant { grantId }. A grantRevoked or grantExpired event ends it too.
import { $, errorBox, findWallet, messageOf, postJson, showOrigin, statusSetter, walletErrorMessage } from '/shared/page.js';

const joinButton = $('join-button');
const renewButton = $('renew-button');
const giveUpButton = $('give-up-button');
const statusEl = $('library-status');
const setStatus = statusSetter(statusEl);
const accessEl = $('access-result');
const { show: showError, clear: clearError } = errorBox($('library-error'));

showOrigin();

/** The card the library holds: { grantId, member } or null. */
let card = null;

const day = (iso) => (iso ? new Date(iso).toLocaleDateString('en-GB', { year: 'numeric', month: 'long', day: 'numeric' }) : '—');

const showCard = () => {
  $('member-box').hidden = !card;
  if (!card) return;
  const { member } = card;
  $('member-name').textContent = member.name;
  $('member-address').textContent = member.address;
  $('card-valid-until').textContent = day(member.cardValidUntil);
  $('grant-id').textContent = card.grantId;
  $('grant-expires').textContent = day(member.grantExpiresAt);
  // Renew stays: after a revocation the wallet answers it with a 4100, which the page shows.
  giveUpButton.hidden = Boolean(card.ended);
  joinButton.hidden = !card.ended;
};

const setAccess = (state, text) => {
  accessEl.dataset.state = state;
  accessEl.textContent = text;
};

/** The permission is over: say why, tell the server, keep the card on screen as it was. */
const ended = (reason, text) => {
  if (!card) return;
  statusEl.dataset.reason = reason;
  setStatus('revoked', text);
  if (card.ended) return;
  card.ended = reason;
  showCard();
  void postJson('/api/ended', { grantId: card.grantId, reason });
};

const wallet = findWallet({
  hint: $('provider-hint'),
  missing: 'No Tessera wallet found in this browser. Install the extension to get a card.',
  onFound: (provider) => {
    if (typeof provider.on !== 'function') return;
    provider.on('grantRevoked', (data) => {
      if (card && data && data.grantId === card.grantId) ended('grantRevoked', 'Access revoked — your wallet withdrew the library\u2019s permission');
    });
    provider.on('grantExpired', (data) => {
      if (card && data && data.grantId === card.grantId) ended('grantExpired', 'Access expired — the permission\u2019s year is over');
    });
  },
});

const need = () => {
  const provider = wallet.find();
  if (!provider) throw new Error('No Tessera wallet found in this browser.');
  return provider;
};

const busy = (on) => {
  joinButton.disabled = on;
  renewButton.disabled = on;
  giveUpButton.disabled = on;
};

const join = async () => {
  clearError();
  busy(true);
  setStatus('pending', 'Waiting for your wallet…');
  try {
    const provider = need();
    const asked = await postJson('/api/ask', {});
    if (!asked.ok) throw new Error(asked.data.error || 'the library could not make a request');
    let answer;
    try {
      answer = await provider.request({ method: 'wallet_requestDataAccess', params: asked.data.params });
    } catch (error) {
      const declined = error && error.code === 4001;
      setStatus(declined ? 'declined' : 'error', declined ? 'No library card — you declined' : 'No library card');
      showError(walletErrorMessage(error, {
        declined: 'You declined in your wallet: the library has no access to your data.',
        pending: 'Your wallet is already asking you about this site; answer it there first.',
      }));
      return;
    }
    setStatus('pending', 'Checking your resident card and consent receipt…');
    const checked = await postJson('/api/grant', { requestId: asked.data.requestId, answer });
    if (!checked.ok || !checked.data.verified) throw new Error(`the library could not verify your answer: ${checked.data.error || 'unknown error'}`);
    card = { grantId: checked.data.member.grantId, member: checked.data.member, ended: null };
    $('receipt-verified').textContent = `Verified — signed by ${checked.data.receipt.issuer}, purpose ${checked.data.receipt.purposes.join(', ')}`;
    setAccess('none', 'Not yet');
    delete statusEl.dataset.reason;
    setStatus('member', 'Library card issued');
    showCard();
  } catch (error) {
    setStatus('error', card ? statusEl.textContent : 'No library card');
    showError(messageOf(error));
  } finally {
    busy(false);
  }
};

const renew = async () => {
  if (!card) return;
  clearError();
  busy(true);
  setAccess('pending', 'Reading under the permission…');
  try {
    const provider = need();
    const made = await postJson('/api/renew-request', { grantId: card.grantId });
    if (!made.ok) throw new Error(made.data.error || 'the library could not make a request');
    let answer;
    try {
      answer = await provider.request({ method: 'wallet_accessData', params: { grantId: card.grantId, nonce: made.data.nonce } });
    } catch (error) {
      if (error && error.code === 4100) {
        setAccess('refused', `Refused by your wallet (4100): ${error.message}`);
        ended('4100', 'Access revoked — your wallet refused the library (4100)');
        return;
      }
      throw new Error(walletErrorMessage(error, { declined: 'You declined in your wallet.', pending: 'Your wallet is busy with another request from this site.' }));
    }
    const checked = await postJson('/api/renew', { requestId: made.data.requestId, vp_token: answer.vp_token });
    if (!checked.ok || !checked.data.verified) throw new Error(`the library could not verify the fresh copy: ${checked.data.error || 'unknown error'}`);
    card.member = checked.data.member;
    setAccess('verified', `Verified at ${new Date(card.member.lastReadAt).toLocaleTimeString('en-GB')} — a fresh presentation for this visit`);
    setStatus('renewed', `Card renewed (${card.member.renewals}×) without asking you again`);
    showCard();
  } catch (error) {
    setAccess('error', 'Could not read');
    showError(messageOf(error));
  } finally {
    busy(false);
  }
};

const giveUp = async () => {
  if (!card) return;
  clearError();
  busy(true);
  try {
    const result = await need().request({ method: 'wallet_revokeGrant', params: { grantId: card.grantId } });
    if (!result || result.revoked !== true) throw new Error('the wallet did not confirm');
    ended('given-up', 'Access given up — the library no longer reads your data');
  } catch (error) {
    showError(walletErrorMessage(error, { declined: 'You declined in your wallet.', pending: 'Your wallet is busy.' }));
  } finally {
    busy(false);
  }
};

joinButton.addEventListener('click', () => void join());
renewButton.addEventListener('click', () => void renew());
giveUpButton.addEventListener('click', () => void giveUp());
