// Aldmere Civic Registry: OpenID4VCI credential offers.
// POST /api/openid4vci/offers makes four fresh offers (pre-authorized by reference, by value, with a
// transaction code, and an authorization code offer); each is shown as an openid-credential-offer:// link,
// as text to paste into a wallet, and as a button handing it over with
// wallet_offerCredential({ credential_offer }).
import { $, errorBox, findWallet, messageOf, showOrigin, walletErrorMessage } from '/shared/page.js';

showOrigin();
const { show: showError, clear: clearError } = errorBox($('offers-error'));
const wallet = findWallet({
  hint: $('provider-hint'),
  missing: 'No Tessera wallet found in this browser: use the link or the text with another wallet.',
});

const element = (tag, attributes = {}, text) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
};

/** What a site hands the wallet: the offer object when by value, else the offer URI. */
const handOver = (offer) => (offer.offerUri ? offer.uri : offer.offer);

function card(offer) {
  const article = element('article', { class: 'credential', 'data-testid': `offer-${offer.name}` });
  article.append(element('p', { class: 'credential-type' }, offer.title));
  const linkLine = element('p');
  linkLine.append(element('a', { href: offer.uri, 'data-testid': `offer-link-${offer.name}` }, 'Open in my wallet'));
  article.append(linkLine);
  if (offer.txCode) {
    const p = element('p', { class: 'hint' }, 'Transaction code (as if sent by text message): ');
    p.append(element('strong', { 'data-testid': `tx-code-value` }, offer.txCode));
    article.append(p);
  }
  const text = element('textarea', { readonly: '', rows: '3', 'data-testid': `offer-uri-${offer.name}`, 'aria-label': 'Offer to paste into a wallet' });
  text.value = offer.uri;
  article.append(text);
  const button = element('button', { type: 'button', class: 'primary small', 'data-testid': `offer-button-${offer.name}` }, 'Add to Tessera');
  const result = element('p', { class: 'offer-result', 'data-testid': `offer-result-${offer.name}`, 'data-state': 'none' });
  button.addEventListener('click', async () => {
    const provider = wallet.find();
    if (!provider) return showError('No Tessera wallet found in this browser.');
    clearError();
    button.disabled = true;
    result.dataset.state = 'pending';
    result.textContent = 'Waiting for your wallet…';
    try {
      const answer = await provider.request({ method: 'wallet_offerCredential', params: { credential_offer: handOver(offer) } });
      result.dataset.state = 'stored';
      result.textContent = `In your wallet (${(answer.ids ?? [answer.id]).join(', ')}).`;
    } catch (error) {
      result.dataset.state = error && error.code === 4001 ? 'declined' : 'error';
      result.textContent = walletErrorMessage(error, {
        declined: 'You declined in your wallet.',
        pending: 'Your wallet is already asking you something for this site; answer it there first.',
      });
    } finally {
      button.disabled = false;
    }
  });
  const actions = element('div', { class: 'actions' });
  actions.append(button);
  article.append(actions, result);
  return article;
}

async function renew() {
  clearError();
  const list = $('offers');
  list.dataset.state = 'loading';
  try {
    const response = await fetch('/api/openid4vci/offers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error ?? `HTTP ${response.status}`);
    list.replaceChildren(...data.offers.map(card));
    list.dataset.state = 'ready';
  } catch (error) {
    list.dataset.state = 'error';
    showError(`Could not make offers: ${messageOf(error)}`);
  }
}

$('renew').addEventListener('click', () => void renew());
void renew();
