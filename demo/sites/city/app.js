// Aldmere city services: "Verify with my digital ID" through the W3C Digital Credentials API.
// 1. POST /api/request { credential, signed } → { requestId, protocol, data } (an OpenID4VP request with DCQL);
// 2. navigator.credentials.get({ digital: { requests: [{ protocol, data }] } });
// 3. POST /api/verify { requestId, response }: the server verifies signature, holder binding,
//    origin, nonce and status with independent libraries, and returns the verified claims.
import { $, CLAIM_LABELS, errorBox, messageOf, postJson, renderClaims, showOrigin, statusSetter } from '/shared/page.js';

const button = $('dc-request-button');
const resultBox = $('result-box');
const claimsEl = $('verified-claims');
const withheldEl = $('withheld-claims');
const setStatus = statusSetter($('dc-status'));
const { show: showError, clear: clearError } = errorBox($('verify-error'));

showOrigin();
if (!navigator.credentials || typeof navigator.credentials.get !== 'function') {
  $('api-hint').textContent = 'This browser has no Credential Management API.';
}

const clearResult = () => {
  clearError();
  resultBox.hidden = true;
  claimsEl.textContent = '';
  withheldEl.hidden = true;
};

const render = (result) => {
  const answer = result.answers[0];
  renderClaims(claimsEl, answer.claims, (dd, name, value) => {
    dd.dataset.testid = `verified-claim-${name}`;
    dd.dataset.value = JSON.stringify(value);
  });
  claimsEl.dataset.format = answer.format;
  if (answer.missing.length > 0) {
    withheldEl.textContent = `Not shared: ${answer.missing.map((p) => CLAIM_LABELS[p.split('.').pop()] || p).join(', ')}`;
    withheldEl.hidden = false;
  }
  $('verified-issuer').textContent = answer.issuerName ? `${answer.issuerName} (${answer.issuer})` : answer.issuer;
  $('verified-binding').textContent = `${answer.audience}, this request's nonce${result.signed ? ', signed request' : ''}`;
  $('verified-status').textContent = answer.status === 'valid' ? 'Yes — checked against the registry\u2019s status list' : 'Not published';
  resultBox.hidden = false;
};

const verify = async () => {
  clearResult();
  button.disabled = true;
  setStatus('pending', 'Waiting for your wallet…');
  try {
    const credential = document.querySelector('input[name=credential]:checked').value;
    const signed = $('signed-request').checked;
    const made = await postJson('/api/request', { credential, signed });
    if (!made.ok) throw new Error(made.data.error || 'the city could not make a request');
    const { requestId, protocol, data } = made.data;

    let answer;
    try {
      answer = await navigator.credentials.get({ digital: { requests: [{ protocol, data }] } });
    } catch (error) {
      if (error && error.name === 'NotAllowedError') {
        setStatus('cancelled', 'Not verified');
        showError('Nothing was shared: you cancelled, or your wallet holds no matching credential.');
      } else {
        setStatus('error', 'Not verified');
        showError(`The browser refused the request: ${error && error.name ? `${error.name}: ` : ''}${error && error.message ? error.message : String(error)}`);
      }
      return;
    }
    if (!answer || !answer.data) {
      setStatus('error', 'Not verified');
      showError('No digital credential came back.');
      return;
    }
    if (answer.data.error) {
      setStatus('error', 'Not verified');
      showError(`The wallet refused the request: ${answer.data.error}${answer.data.error_description ? ` — ${answer.data.error_description}` : ''}`);
      return;
    }
    setStatus('pending', 'Checking your answer…');
    const checked = await postJson('/api/verify', { requestId, response: { protocol: answer.protocol, data: answer.data } });
    if (!checked.ok || !checked.data.verified) {
      setStatus('error', 'Not verified');
      showError(`The city could not verify your answer: ${checked.data.error || 'unknown error'}`);
      return;
    }
    render(checked.data);
    setStatus('verified', 'Verified');
  } catch (error) {
    setStatus('error', 'Not verified');
    showError(`Something went wrong: ${messageOf(error)}`);
  } finally {
    button.disabled = false;
  }
};

button.addEventListener('click', () => void verify());
