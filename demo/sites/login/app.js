// Aldmere city services: "Log in with Tessera".
// 1. GET /api/nonce for a one-time challenge;
// 2. wallet_requestIdentity { nonce } through the wallet's provider;
// 3. POST /api/verify { presentation }: the server checks signature, DID, nonce and origin.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const statusEl = $('login-status');
  const button = $('login-button');
  const hint = $('provider-hint');
  const resultBox = $('result-box');
  const resultDid = $('login-result');
  const resultVerified = $('login-verified');
  const errorEl = $('login-error');

  $('site-origin').textContent = location.origin;

  /** @type {{ request(args: { method: string, params?: unknown }): Promise<any>, on(e: string, f: Function): void } | null} */
  let provider = null;
  let session = null; // { did }

  const setStatus = (state, text) => {
    statusEl.dataset.state = state;
    statusEl.textContent = text;
  };
  const showError = (text) => {
    errorEl.textContent = text;
    errorEl.hidden = false;
  };
  const clearError = () => {
    errorEl.textContent = '';
    errorEl.hidden = true;
  };
  const showSession = () => {
    resultDid.textContent = session ? session.did : '';
    resultVerified.textContent = session ? 'yes — signature, challenge and site address checked' : '';
    resultBox.hidden = !session;
  };

  const describeWalletError = (error) => {
    const code = error && typeof error === 'object' ? error.code : undefined;
    const message = error && typeof error === 'object' && typeof error.message === 'string' ? error.message : String(error);
    if (code === 4001) return 'You declined the login request in your wallet.';
    if (code === 4900) return 'Your wallet is locked; unlock it and try again.';
    if (code === -32002) return 'Your wallet is already asking you about this site; answer it there first.';
    return `The wallet refused: ${message}${code !== undefined ? ` (code ${code})` : ''}`;
  };

  const adopt = (candidate) => {
    if (provider || !candidate || typeof candidate.request !== 'function') return;
    provider = candidate;
    hint.textContent = 'Tessera wallet detected.';
    hint.dataset.found = 'true';
    if (typeof provider.on === 'function') {
      provider.on('grantRevoked', () => {
        session = null;
        showSession();
        clearError();
        setStatus('disconnected', 'Disconnected — your wallet withdrew this site\u2019s access');
      });
      provider.on('locked', () => {
        if (session) hint.textContent = 'Your wallet locked itself; you stay signed in here.';
      });
    }
  };

  // EIP-6963-style discovery: listen, then ask; window.tessera as a fallback.
  window.addEventListener('tessera:announceProvider', (event) => adopt(event.detail && event.detail.provider));
  window.dispatchEvent(new Event('tessera:requestProvider'));
  adopt(window.tessera);
  setTimeout(() => {
    adopt(window.tessera);
    if (!provider) hint.textContent = 'No Tessera wallet found in this browser. Install the extension to log in.';
  }, 1500);

  const postJson = async (url, body) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    return { ok: response.ok, data };
  };

  const logIn = async () => {
    adopt(window.tessera);
    if (!provider) {
      showError('No Tessera wallet found in this browser.');
      return;
    }
    clearError();
    button.disabled = true;
    setStatus('pending', 'Waiting for your wallet…');
    try {
      const { nonce } = await (await fetch('/api/nonce')).json();
      let answer;
      try {
        answer = await provider.request({ method: 'wallet_requestIdentity', params: { nonce } });
      } catch (error) {
        setStatus(session ? 'signed-in' : 'error', session ? 'Signed in' : 'Not signed in');
        showError(describeWalletError(error));
        return;
      }
      setStatus('pending', 'Checking your answer…');
      const { ok, data } = await postJson('/api/verify', { presentation: answer.presentation });
      if (!ok || !data.verified) {
        session = null;
        showSession();
        setStatus('error', 'Not signed in');
        showError(`The city could not verify your login: ${data.error || 'unknown error'}`);
        return;
      }
      if (data.did !== answer.did) {
        setStatus('error', 'Not signed in');
        showError('The wallet answered with a different DID than the one it signed with.');
        return;
      }
      session = { did: data.did };
      showSession();
      setStatus('signed-in', 'Signed in');
    } catch (error) {
      setStatus('error', 'Not signed in');
      showError(`Something went wrong: ${error && error.message ? error.message : String(error)}`);
    } finally {
      button.disabled = false;
    }
  };

  button.addEventListener('click', () => void logIn());

  $('logout-button').addEventListener('click', () => {
    session = null;
    showSession();
    clearError();
    setStatus('signed-out', 'Signed out');
  });

  // The site gives up its own grant (wallet_revokeGrant); the wallet then tells every tab.
  $('forget-button').addEventListener('click', async () => {
    if (!provider) return;
    clearError();
    try {
      const grants = await provider.request({ method: 'wallet_getGrants' });
      const active = grants.filter((g) => g.kind === 'identity' && g.status === 'active');
      for (const grant of active) {
        await provider.request({ method: 'wallet_revokeGrant', params: { grantId: grant.id } });
      }
      session = null;
      showSession();
      setStatus('disconnected', 'Disconnected — this site gave up its access');
    } catch (error) {
      showError(describeWalletError(error));
    }
  });
})();
