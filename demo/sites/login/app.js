// Aldmere city services: "Log in with Tessera".
// 1. GET /api/nonce for a one-time challenge;
// 2. wallet_requestIdentity { nonce } through the wallet's provider;
// 3. POST /api/verify { presentation }: the server checks signature, DID, nonce and origin.
import { $, errorBox, findWallet, messageOf, postJson, showOrigin, statusSetter, walletErrorMessage } from '/shared/page.js';

const button = $('login-button');
const hint = $('provider-hint');
const resultBox = $('result-box');
const resultDid = $('login-result');
const resultVerified = $('login-verified');
const setStatus = statusSetter($('login-status'));
const { show: showError, clear: clearError } = errorBox($('login-error'));

showOrigin();

let session = null; // { did }

const showSession = () => {
  resultDid.textContent = session ? session.did : '';
  resultVerified.textContent = session ? 'yes — signature, challenge and site address checked' : '';
  resultBox.hidden = !session;
};

const describeWalletError = (error) =>
  walletErrorMessage(error, {
    declined: 'You declined the login request in your wallet.',
    pending: 'Your wallet is already asking you about this site; answer it there first.',
  });

const wallet = findWallet({
  hint,
  missing: 'No Tessera wallet found in this browser. Install the extension to log in.',
  onFound: (provider) => {
    if (typeof provider.on !== 'function') return;
    provider.on('grantRevoked', () => {
      session = null;
      showSession();
      clearError();
      setStatus('disconnected', 'Disconnected — your wallet withdrew this site\u2019s access');
    });
    provider.on('locked', () => {
      if (session) hint.textContent = 'Your wallet locked itself; you stay signed in here.';
    });
  },
});

const logIn = async () => {
  const provider = wallet.find();
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
    showError(`Something went wrong: ${messageOf(error)}`);
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
  const provider = wallet.provider;
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
