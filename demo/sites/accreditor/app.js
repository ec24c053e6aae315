// Aldmere Research Ethics Board: the board's DID (for the wallet's accreditation list) and the
// accreditations it issued, each with a Revoke button (POST /api/revoke { id } sets its status bit).
import { $, errorBox, messageOf, postJson, showOrigin } from '/shared/page.js';

const list = $('accreditation-list');
const { show: showError, clear: clearError } = errorBox($('board-error'));
const REFRESH_MS = 2000;

showOrigin();

fetch('/api/body')
  .then((r) => r.json())
  .then((body) => {
    $('board-did').textContent = body.did;
    $('board-did').title = body.kid;
  })
  .catch((error) => showError(`Could not load the board's DID: ${messageOf(error)}`));

$('copy-did').addEventListener('click', async () => {
  const did = $('board-did').textContent;
  try {
    await navigator.clipboard.writeText(did);
    $('copy-result').textContent = 'Copied.';
  } catch {
    // Without clipboard permission: select it, so Ctrl+C copies it.
    const range = document.createRange();
    range.selectNodeContents($('board-did'));
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
    $('copy-result').textContent = 'Selected: press Ctrl+C to copy.';
  }
});

const day = (iso) => new Date(iso).toLocaleDateString('en-GB', { year: 'numeric', month: 'short', day: 'numeric' });

const stateOf = (a) => (a.revoked ? 'revoked' : Date.parse(a.validUntil) < Date.now() ? 'expired' : 'valid');
const STATE_TEXT = { valid: 'Valid', revoked: 'Revoked', expired: 'Expired' };

const field = (dl, label, value, testid) => {
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  dd.textContent = value;
  if (testid) dd.dataset.testid = testid;
  dl.append(dt, dd);
};

const render = (a) => {
  const state = stateOf(a);
  const card = document.createElement('article');
  card.className = 'accreditation';
  card.dataset.testid = 'accreditation-row';
  card.dataset.id = a.id;
  card.dataset.state = state;
  const head = document.createElement('header');
  head.className = 'accreditation-head';
  const name = document.createElement('p');
  name.className = 'accreditation-name';
  name.textContent = a.name;
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.dataset.state = state;
  badge.dataset.testid = 'accreditation-status';
  badge.textContent = STATE_TEXT[state];
  head.append(name, badge);
  const dl = document.createElement('dl');
  field(dl, 'Institution DID', a.subjectDid, 'accreditation-subject');
  field(dl, 'Web origins', a.origins.join(', '), 'accreditation-origins');
  for (const s of a.studies) {
    field(dl, 'Study', `${s.id} — ${s.title} (ethics approval ${s.ethicsApproval})`);
    field(dl, 'Approved data uses', s.dataUses.join(', '), 'accreditation-data-uses');
  }
  field(dl, 'Valid', `${day(a.validFrom)} to ${day(a.validUntil)}`);
  field(dl, 'Status list entry', String(a.statusIndex));
  const actions = document.createElement('div');
  actions.className = 'actions';
  const revoke = document.createElement('button');
  revoke.type = 'button';
  revoke.className = 'danger';
  revoke.dataset.testid = 'revoke-accreditation';
  revoke.textContent = a.revoked ? 'Revoked' : 'Revoke';
  revoke.disabled = a.revoked;
  revoke.addEventListener('click', async () => {
    clearError();
    revoke.disabled = true;
    const { ok, data } = await postJson('/api/revoke', { id: a.id });
    if (!ok) {
      revoke.disabled = false;
      showError(`Could not revoke: ${data.error || 'unknown error'}`);
      return;
    }
    await refresh();
  });
  actions.append(revoke);
  card.append(head, dl, actions);
  return card;
};

/** The list as the board holds it; redrawn only when it changed, so a click is never lost mid-redraw. */
let shown = '';
const refresh = async () => {
  try {
    const { accreditations } = await (await fetch('/api/accreditations')).json();
    const key = JSON.stringify(accreditations.map((a) => [a.id, stateOf(a)]));
    if (key === shown) return;
    shown = key;
    list.replaceChildren(...accreditations.map(render));
    $('accreditation-count').textContent = String(accreditations.length);
    $('empty-hint').hidden = accreditations.length > 0;
  } catch (error) {
    showError(`Could not load the accreditations: ${messageOf(error)}`);
  }
};

void refresh();
setInterval(() => void refresh(), REFRESH_MS);
