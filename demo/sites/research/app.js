// Aldmere Institute for Child Health — research portal.
// Request: POST /api/ask { ai, mode } → wallet_requestDataAccess(params) → POST /api/grant { requestId, answer }
//          (the portal verifies the presentation and the consent receipt, and keeps both).
// Read again: POST /api/read-request { grantId } → wallet_accessData { grantId, nonce } → POST /api/read;
//          a 4100 means the parent revoked (or the grant ended): POST /api/ended.
// Check receipt on chain: wallet_getGrants (the receipt proof, once anchored) → POST /api/receipt-check.
import { $, errorBox, findWallet, formatValue, messageOf, postJson, showOrigin, statusSetter, walletErrorMessage } from '/shared/page.js';

const requestButton = $('request-button');
const readButton = $('read-button');
const checkButton = $('check-receipt-button');
const statusEl = $('research-status');
const setStatus = statusSetter(statusEl);
const { show: showError, clear: clearError } = errorBox($('research-error'));

const LABELS = {
  age_band: 'Age band',
  region: 'Region',
  diagnosis_codes: 'Diagnoses (ICD-10)',
  birthdate: 'Date of birth',
  address: 'Address',
  birth_year: 'Birth year',
};
const PURPOSE_WORDS = {
  'dpv:ScientificResearch': 'scientific research',
  'duo:0000006': 'health/medical/biomedical research (DUO:0000006)',
  'tessera:AIModelTraining': 'training AI models',
};

showOrigin();

/** The grant the portal holds in this visit: { grantId, grant, ended } or null. */
let current = null;

const day = (iso) => (iso ? new Date(iso).toLocaleDateString('en-GB', { year: 'numeric', month: 'long', day: 'numeric' }) : '—');

fetch('/api/portal')
  .then((r) => r.json())
  .then((portal) => {
    $('portal-did').textContent = portal.did;
    const acc = $('portal-accreditation');
    acc.dataset.state = portal.accreditation ? 'accredited' : 'none';
    acc.textContent = portal.accreditation ? 'Accredited by the Aldmere Research Ethics Board' : 'None: this portal is unverified';
    $('requester-mode').value = portal.defaultMode;
    if (portal.rpcUrl) $('rpc-url').value = portal.rpcUrl;
  })
  .catch((error) => showError(`Could not load the portal: ${messageOf(error)}`));

const setText = (id, state, text) => {
  $(id).dataset.state = state;
  $(id).textContent = text;
};

const showReceived = (claims) => {
  const dl = $('received-claims');
  dl.textContent = '';
  for (const [name, value] of Object.entries(claims)) {
    const dt = document.createElement('dt');
    dt.textContent = LABELS[name] || name;
    const dd = document.createElement('dd');
    dd.textContent = formatValue(value);
    dd.dataset.testid = `received-claim-${name}`;
    dl.append(dt, dd);
  }
};

const showGrant = () => {
  $('received-box').hidden = !current;
  if (!current) return;
  const { grant } = current;
  showReceived(grant.claims);
  $('grant-id').textContent = grant.grantId;
  $('grant-purposes').textContent = grant.purposes.map((p) => PURPOSE_WORDS[p] || p).join(', ');
  $('ai-training-granted').textContent = grant.aiTraining ? 'Agreed by the parent' : 'Not agreed';
  $('ai-training-granted').dataset.state = grant.aiTraining ? 'granted' : 'not-granted';
  $('guardian').textContent = grant.guardian
    ? `${grant.guardian.role === 'dpv:ParentOfDataSubject' ? 'The child\u2019s parent' : grant.guardian.role}${grant.guardian.comesOfAgeAt ? `, until the child comes of age on ${day(grant.guardian.comesOfAgeAt)}` : ''}`
    : 'The data subject';
  $('grant-expires').textContent = day(grant.grantExpiresAt);
};

/** Access is over: say why, tell the portal, keep what was received on screen. */
const ended = (reason, text) => {
  if (!current) return;
  statusEl.dataset.reason = reason;
  setStatus('revoked', text);
  if (current.ended) return;
  current.ended = reason;
  void postJson('/api/ended', { grantId: current.grantId, reason });
};

const wallet = findWallet({
  hint: $('provider-hint'),
  missing: 'No Tessera wallet found in this browser. Install the extension to take part.',
  onFound: (provider) => {
    if (typeof provider.on !== 'function') return;
    provider.on('grantRevoked', (data) => {
      if (current && data && data.grantId === current.grantId) ended('grantRevoked', 'Access revoked — the parent withdrew the permission');
    });
    provider.on('grantExpired', (data) => {
      if (current && data && data.grantId === current.grantId) ended('grantExpired', 'Access ended — the permission is over');
    });
  },
});

const need = () => {
  const provider = wallet.find();
  if (!provider) throw new Error('No Tessera wallet found in this browser.');
  return provider;
};

const busy = (on) => {
  requestButton.disabled = on;
  readButton.disabled = on;
  checkButton.disabled = on;
};

const request = async () => {
  clearError();
  busy(true);
  delete statusEl.dataset.code;
  setStatus('pending', 'Waiting for the parent\u2019s wallet…');
  try {
    const provider = need();
    const asked = await postJson('/api/ask', { ai: $('ai-training').checked, mode: $('requester-mode').value });
    if (!asked.ok) throw new Error(asked.data.error || 'the portal could not make a request');
    let answer;
    try {
      answer = await provider.request({ method: 'wallet_requestDataAccess', params: asked.data.params });
    } catch (error) {
      const code = error && typeof error === 'object' ? error.code : undefined;
      if (code !== undefined) statusEl.dataset.code = String(code);
      setStatus(code === 4001 ? 'declined' : 'refused', code === 4001 ? 'No data — the parent declined' : 'No data — the wallet refused');
      showError(walletErrorMessage(error, {
        declined: 'The parent declined in their wallet: the study receives nothing.',
        pending: 'The wallet is already asking about this site; answer it there first.',
      }));
      return;
    }
    setStatus('pending', 'Checking the presentation and the consent receipt…');
    const checked = await postJson('/api/grant', { requestId: asked.data.requestId, answer });
    if (!checked.ok || !checked.data.verified) throw new Error(`the portal could not verify the answer: ${checked.data.error || 'unknown error'}`);
    current = { grantId: checked.data.grant.grantId, grant: checked.data.grant, ended: null };
    $('receipt-verified').textContent = `Verified — signed by ${checked.data.grant.did}`;
    setText('read-result', 'none', 'Not yet');
    setText('receipt-check-result', 'none', '');
    $('receipt-check-lines').hidden = true;
    delete statusEl.dataset.reason;
    setStatus('granted', `Data received for study AICH-2026-014${checked.data.grant.aiTraining ? ' (and AI model training)' : ''}`);
    showGrant();
  } catch (error) {
    setStatus('error', current ? statusEl.textContent : 'No data yet');
    showError(messageOf(error));
  } finally {
    busy(false);
  }
};

const readAgain = async () => {
  if (!current) return;
  clearError();
  busy(true);
  setText('read-result', 'pending', 'Reading under the permission…');
  try {
    const provider = need();
    const made = await postJson('/api/read-request', { grantId: current.grantId });
    if (!made.ok) throw new Error(made.data.error || 'the portal could not make a request');
    let answer;
    try {
      answer = await provider.request({ method: 'wallet_accessData', params: { grantId: current.grantId, nonce: made.data.nonce } });
    } catch (error) {
      if (error && error.code === 4100) {
        setText('read-result', 'refused', `Refused by the wallet (4100): ${error.message}`);
        ended('4100', 'Access revoked — the wallet refused the portal (4100)');
        return;
      }
      throw new Error(walletErrorMessage(error, { declined: 'Declined in the wallet.', pending: 'The wallet is busy with another request from this site.' }));
    }
    const checked = await postJson('/api/read', { requestId: made.data.requestId, vp_token: answer.vp_token });
    if (!checked.ok || !checked.data.verified) throw new Error(`the portal could not verify the fresh presentation: ${checked.data.error || 'unknown error'}`);
    current.grant = checked.data.grant;
    showGrant();
    setText('read-result', 'verified', `Verified at ${new Date().toLocaleTimeString('en-GB')} — a fresh presentation, no window`);
    setStatus('read', `Read again under the permission (${checked.data.grant.reads} reads)`);
  } catch (error) {
    setText('read-result', 'error', 'Could not read');
    showError(messageOf(error));
  } finally {
    busy(false);
  }
};

const VERDICT_TEXT = {
  valid: () => 'Valid on chain — the consent receipt is anchored and not revoked',
  revoked: (v) => `Revoked on chain in block ${v.revokedAtBlock} — the parent withdrew consent`,
  failed: (v) => `Check failed: ${v.failedCheck}`,
};

const checkReceipt = async () => {
  if (!current) return;
  clearError();
  busy(true);
  setText('receipt-check-result', 'pending', 'Asking the chain…');
  try {
    // The wallet hands the proof once it has anchored the grant; the portal keeps it for later checks.
    let receiptProof = null;
    try {
      const grants = await need().request({ method: 'wallet_getGrants' });
      const mine = Array.isArray(grants) ? grants.find((g) => g.id === current.grantId) : null;
      receiptProof = mine ? mine.receiptProof : null;
    } catch {
      receiptProof = null;
    }
    const rpcUrl = $('rpc-url').value.trim() || undefined;
    const { ok, data } = await postJson('/api/receipt-check', { grantId: current.grantId, receiptProof, rpcUrl });
    if (!ok) {
      setText('receipt-check-result', data.error && data.error.startsWith('the wallet has not anchored') ? 'not-anchored' : 'error', data.error || 'the portal could not check');
      return;
    }
    setText('receipt-check-result', data.verdict, VERDICT_TEXT[data.verdict](data));
    $('receipt-check-lines').textContent = data.lines.join('\n');
    $('receipt-check-lines').hidden = false;
  } catch (error) {
    setText('receipt-check-result', 'error', 'Could not check');
    showError(messageOf(error));
  } finally {
    busy(false);
  }
};

requestButton.addEventListener('click', () => void request());
readButton.addEventListener('click', () => void readAgain());
checkButton.addEventListener('click', () => void checkReceipt());
