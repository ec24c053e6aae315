// Page helpers the Aldmere demo sites share, served by each of them as /shared/page.js
// (an ES module: each site's /app.js imports it).

export const $ = (id) => document.getElementById(id);

/** Shows the page's own origin in the masthead. */
export const showOrigin = () => {
  $('site-origin').textContent = location.origin;
};

/** A status pill: `setStatus(state, text)` sets its data-state and its text. */
export const statusSetter = (el) => (state, text) => {
  el.dataset.state = state;
  el.textContent = text;
};

/** An error box (a `hidden` element): `show(text)`, `clear()`. */
export const errorBox = (el) => ({
  show(text) {
    el.textContent = text;
    el.hidden = false;
  },
  clear() {
    el.textContent = '';
    el.hidden = true;
  },
});

/** The message of anything thrown. */
export const messageOf = (error) => (error && error.message ? error.message : String(error));

/**
 * A wallet error for people. `declined` and `pending` word the 4001 and -32002 cases for
 * what the site asked.
 */
export const walletErrorMessage = (error, { declined, pending }) => {
  const code = error && typeof error === 'object' ? error.code : undefined;
  const message = error && typeof error === 'object' && typeof error.message === 'string' ? error.message : String(error);
  if (code === 4001) return declined;
  if (code === 4900) return 'Your wallet is locked; unlock it and try again.';
  if (code === -32002) return pending;
  return `The wallet refused: ${message}${code !== undefined ? ` (code ${code})` : ''}`;
};

/**
 * Finds the Tessera provider, EIP-6963 style: listen, then ask; `window.tessera` as a
 * fallback, once now and once more after 1.5 s. `hint` says whether one was found
 * (`missing` if not); `onFound(provider)` runs once, when one is.
 * Returns `{ provider }` (null until found) and `find()`, which tries `window.tessera`
 * again and returns the provider or null.
 */
export const findWallet = ({ hint, missing, onFound }) => {
  /** @type {{ request(args: { method: string, params?: unknown }): Promise<any>, on?(e: string, f: Function): void } | null} */
  let provider = null;
  const adopt = (candidate) => {
    if (provider || !candidate || typeof candidate.request !== 'function') return;
    provider = candidate;
    hint.textContent = 'Tessera wallet detected.';
    hint.dataset.found = 'true';
    if (onFound) onFound(provider);
  };
  window.addEventListener('tessera:announceProvider', (event) => adopt(event.detail && event.detail.provider));
  window.dispatchEvent(new Event('tessera:requestProvider'));
  adopt(window.tessera);
  setTimeout(() => {
    adopt(window.tessera);
    if (!provider) hint.textContent = missing;
  }, 1500);
  return {
    get provider() {
      return provider;
    },
    find() {
      adopt(window.tessera);
      return provider;
    },
  };
};

/** POSTs `body` as JSON; `{ ok, data }` with `data` `{}` when the answer is not JSON. */
export const postJson = async (url, body) => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  return { ok: response.ok, data };
};

// ── credential claims ────────────────────────────────────────────────────────
export const CLAIM_LABELS = {
  given_name: 'Given name',
  family_name: 'Family name',
  birthdate: 'Date of birth',
  age_over_18: 'Over 18',
  nationalities: 'Nationality',
  address: 'Address',
};

export const formatValue = (value) => {
  if (value === true) return 'Yes';
  if (value === false) return 'No';
  if (Array.isArray(value)) return value.join(', ');
  if (value && typeof value === 'object') return [value.street_address, value.postal_code, value.locality].filter(Boolean).join(', ');
  return String(value);
};

/** Fills the `<dl>` with a dt (label) and dd (value) per claim; `decorate(dd, name, value)` marks each dd. */
export const renderClaims = (dl, claims, decorate) => {
  dl.textContent = '';
  for (const [name, value] of Object.entries(claims)) {
    const dt = document.createElement('dt');
    dt.textContent = CLAIM_LABELS[name] || name;
    const dd = document.createElement('dd');
    dd.textContent = formatValue(value);
    decorate(dd, name, value);
    dl.append(dt, dd);
  }
};
