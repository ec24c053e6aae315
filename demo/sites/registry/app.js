// Aldmere Civic Registry: issue a resident card (JWT VC) and a PID (SD-JWT VC) into Tessera.
// 1. GET /api/nonce, then wallet_requestIdentity { nonce }: the wallet's DID for this site;
// 2. POST /api/issue { presentation, subject }: the registry verifies and signs both credentials;
// 3. wallet_offerCredential { credential } for each ("Add to Tessera");
// 4. "Revoke" → POST /api/revoke { kind, index }: sets the credential's status-list bit, for good.
import { $, errorBox, findWallet, messageOf, postJson, renderClaims, showOrigin, statusSetter, walletErrorMessage } from '/shared/page.js';

const form = $('subject-form');
const issueButton = $('issue-button');
const setStatus = statusSetter($('issue-status'));
const { show: showError, clear: clearError } = errorBox($('registry-error'));

showOrigin();

/** kind → issued credential (from /api/issue) */
const issued = {};

const describeWalletError = (error) =>
  walletErrorMessage(error, {
    declined: 'You declined in your wallet.',
    pending: 'Your wallet is already asking you something for this site; answer it there first.',
  });

const wallet = findWallet({
  hint: $('provider-hint'),
  missing: 'No Tessera wallet found in this browser. Install the extension to receive credentials.',
});

fetch('/api/issuer')
  .then((r) => r.json())
  .then((info) => {
    $('registry-did').textContent = info.did;
    $('registry-did').title = info.kid;
  })
  .catch(() => undefined);

// ── rendering ──────────────────────────────────────────────────────────────
const decodePart = (part) => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));

/** The claims a credential carries, for display (SD-JWT: from its disclosures). */
const claimsOf = (c) => {
  if (c.format === 'jwt_vc_json') {
    const payload = decodePart(c.credential.split('.')[1]);
    return payload.vc.credentialSubject;
  }
  const [, ...disclosures] = c.credential.split('~');
  const claims = {};
  for (const d of disclosures) {
    if (!d) continue;
    const decoded = decodePart(d);
    if (decoded.length === 3) claims[decoded[1]] = decoded[2];
  }
  return claims;
};

const renderCard = (c) => {
  const card = $(`card-${c.kind}`);
  renderClaims(card.querySelector('[data-claims]'), claimsOf(c), (dd, name) => {
    dd.dataset.testid = `issued-claim-${c.kind}-${name}`;
  });
  card.querySelector('[data-index]').textContent = String(c.statusIndex);
  renderStatus(c);
};

const renderStatus = (c) => {
  const card = $(`card-${c.kind}`);
  const badge = card.querySelector('.badge');
  badge.dataset.state = c.revoked ? 'revoked' : 'valid';
  badge.textContent = c.revoked ? 'Revoked' : 'Valid';
  const revoke = card.querySelector('[data-revoke]');
  revoke.textContent = c.revoked ? 'Revoked' : 'Revoke';
  revoke.disabled = c.revoked;
  card.querySelector('[data-offer]').disabled = c.revoked;
  card.classList.toggle('is-revoked', c.revoked);
};

const setOfferResult = (kind, state, text) => {
  const el = $(`card-${kind}`).querySelector('[data-offer-result]');
  el.dataset.state = state;
  el.textContent = text;
};

// ── issuing ────────────────────────────────────────────────────────────────
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const provider = wallet.find();
  if (!provider) {
    showError('No Tessera wallet found in this browser.');
    return;
  }
  clearError();
  issueButton.disabled = true;
  setStatus('pending', 'Waiting for your wallet…');
  try {
    const { nonce } = await (await fetch('/api/nonce')).json();
    let identity;
    try {
      identity = await provider.request({ method: 'wallet_requestIdentity', params: { nonce } });
    } catch (error) {
      setStatus('error', 'Not issued');
      showError(describeWalletError(error));
      return;
    }
    setStatus('pending', 'Signing your credentials…');
    const subject = {
      given_name: $('given-name').value.trim(),
      family_name: $('family-name').value.trim(),
      birthdate: $('birthdate').value,
    };
    const { ok, data } = await postJson('/api/issue', { presentation: identity.presentation, subject });
    if (!ok) {
      setStatus('error', 'Not issued');
      showError(`The registry could not issue: ${data.error || 'unknown error'}`);
      return;
    }
    $('holder-did').textContent = data.holder;
    $('holder-box').hidden = false;
    for (const c of data.credentials) {
      issued[c.kind] = c;
      renderCard(c);
      setOfferResult(c.kind, 'none', '');
    }
    $('credentials').hidden = false;
    setStatus('issued', 'Issued — add them to your wallet');
  } catch (error) {
    setStatus('error', 'Not issued');
    showError(`Something went wrong: ${messageOf(error)}`);
  } finally {
    issueButton.disabled = false;
  }
});

// ── offering and revoking ─────────────────────────────────────────────────
for (const card of document.querySelectorAll('.credential')) {
  const kind = card.dataset.kind;
  card.querySelector('[data-offer]').addEventListener('click', async (event) => {
    const c = issued[kind];
    const provider = wallet.provider;
    if (!c || !provider) return;
    const button = event.currentTarget;
    button.disabled = true;
    setOfferResult(kind, 'pending', 'Check your wallet…');
    try {
      const result = await provider.request({ method: 'wallet_offerCredential', params: { credential: c.credential } });
      setOfferResult(kind, 'stored', `In your wallet (id ${result.id}).`);
    } catch (error) {
      setOfferResult(kind, error && error.code === 4001 ? 'declined' : 'error', describeWalletError(error));
    } finally {
      button.disabled = false;
    }
  });
  card.querySelector('[data-revoke]').addEventListener('click', async () => {
    const c = issued[kind];
    if (!c || c.revoked) return;
    clearError();
    const { ok, data } = await postJson('/api/revoke', { kind, index: c.statusIndex });
    if (!ok) {
      showError(`Could not revoke: ${data.error || 'unknown error'}`);
      return;
    }
    c.revoked = data.revoked;
    renderStatus(c);
  });
}
