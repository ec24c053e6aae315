// Aldmere Children's Clinic: log the parent in (wallet_requestIdentity), issue the child's health
// summary to that DID (POST /api/issue), offer it to the wallet (wallet_offerCredential), revoke it.
import { $, errorBox, findWallet, formatValue, messageOf, postJson, showOrigin, statusSetter, walletErrorMessage } from '/shared/page.js';

const form = $('child-form');
const issueButton = $('issue-button');
const setStatus = statusSetter($('clinic-status'));
const { show: showError, clear: clearError } = errorBox($('clinic-error'));

const LABELS = {
  given_name: 'Given name',
  family_name: 'Family name',
  birthdate: 'Date of birth',
  birth_year: 'Birth year',
  age_band: 'Age band',
  address: 'Address',
  region: 'Region',
  diagnosis_codes: 'Diagnoses (ICD-10)',
  medical_record_number: 'Medical record number',
  holder_relationship: 'You are the child\u2019s',
  coming_of_age_date: 'Comes of age on',
};

showOrigin();

/** The summary issued in this visit (from /api/issue), or null. */
let summary = null;

const describeWalletError = (error) =>
  walletErrorMessage(error, {
    declined: 'You declined in your wallet.',
    pending: 'Your wallet is already asking you something for this site; answer it there first.',
  });

const wallet = findWallet({
  hint: $('provider-hint'),
  missing: 'No Tessera wallet found in this browser. Install the extension to receive the summary.',
});

fetch('/api/issuer')
  .then((r) => r.json())
  .then((info) => {
    $('clinic-did').textContent = info.did;
    $('clinic-did').title = info.kid;
  })
  .catch(() => undefined);

const renderSummary = () => {
  $('summary').hidden = !summary;
  if (!summary) return;
  const dl = $('summary-claims');
  dl.textContent = '';
  for (const [name, value] of Object.entries(summary.claims)) {
    const dt = document.createElement('dt');
    dt.textContent = LABELS[name] || name;
    const dd = document.createElement('dd');
    dd.textContent = formatValue(value);
    dd.dataset.testid = `summary-claim-${name}`;
    dl.append(dt, dd);
  }
  $('holder-did').textContent = summary.holder;
  const state = summary.revoked ? 'revoked' : 'valid';
  $('summary').dataset.state = state;
  $('summary-status').dataset.state = state;
  $('summary-status').textContent = summary.revoked ? 'Revoked' : 'Valid';
  $('revoke-summary').disabled = summary.revoked;
  $('revoke-summary').textContent = summary.revoked ? 'Revoked' : 'Revoke';
  $('offer-summary').disabled = summary.revoked;
};

const setOfferResult = (state, text) => {
  $('offer-result').dataset.state = state;
  $('offer-result').textContent = text;
};

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
    setStatus('pending', 'Signing the summary…');
    const child = { given_name: $('child-given-name').value.trim(), family_name: $('child-family-name').value.trim(), birthdate: $('child-birthdate').value };
    const { ok, data } = await postJson('/api/issue', { presentation: identity.presentation, child });
    if (!ok) {
      setStatus('error', 'Not issued');
      showError(`The clinic could not issue: ${data.error || 'unknown error'}`);
      return;
    }
    summary = data.credential;
    renderSummary();
    setOfferResult('none', '');
    setStatus('issued', 'Issued — add it to your wallet');
  } catch (error) {
    setStatus('error', 'Not issued');
    showError(`Something went wrong: ${messageOf(error)}`);
  } finally {
    issueButton.disabled = false;
  }
});

$('offer-summary').addEventListener('click', async (event) => {
  const provider = wallet.provider;
  if (!summary || !provider) return;
  const button = event.currentTarget;
  button.disabled = true;
  setOfferResult('pending', 'Check your wallet…');
  try {
    const result = await provider.request({ method: 'wallet_offerCredential', params: { credential: summary.credential } });
    setOfferResult('stored', `In your wallet (id ${result.id}).`);
    setStatus('stored', 'In your wallet');
  } catch (error) {
    setOfferResult(error && error.code === 4001 ? 'declined' : 'error', describeWalletError(error));
  } finally {
    button.disabled = summary.revoked;
  }
});

$('revoke-summary').addEventListener('click', async () => {
  if (!summary || summary.revoked) return;
  clearError();
  const { ok, data } = await postJson('/api/revoke', { id: summary.id });
  if (!ok) {
    showError(`Could not revoke: ${data.error || 'unknown error'}`);
    return;
  }
  summary.revoked = data.revoked;
  renderSummary();
});
