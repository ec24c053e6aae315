/**
 * The chain-anchoring part of Settings as words and decisions (DESIGN.md §6): the
 * status line, the balance in ETH, each transaction's kind and state, which rows may
 * be retried, whether "Anchor now" is armed, how often to re-read, and the settings
 * form checked against the protocol's bounds. Pure functions, tested without a browser.
 */
import {
  ANCHOR_EVERY_ENTRIES_MAX,
  ANCHOR_EVERY_MINUTES_MAX,
  ANCHOR_EVERY_MINUTES_MIN,
  type AnchorTransactionView,
  type AnchoringSettingsView,
  type AnchoringView,
} from '../../protocol/anchoring-views.ts';
import type { UiCommand } from '../../protocol/internal.ts';
import { formatCount } from '../components/format.ts';

/** While a transaction is on its way the page follows it closely; otherwise a slow re-read suffices. */
export const ANCHORING_BUSY_POLL_MS = 2_000;
export const ANCHORING_IDLE_POLL_MS = 15_000;

const inFlight = (tx: AnchorTransactionView) => tx.state === 'queued' || tx.state === 'sent';

export function anchoringPollMs(view: AnchoringView | undefined): number {
  return view?.transactions.some(inFlight) ? ANCHORING_BUSY_POLL_MS : ANCHORING_IDLE_POLL_MS;
}

/** "1 entry", "4,096 entries". */
export function entriesText(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'entry' : 'entries'}`;
}

/** The anchor on its way with the largest tree (a later one covers the earlier), if any. */
export function pendingAnchor(view: AnchoringView): AnchorTransactionView | null {
  let found: AnchorTransactionView | null = null;
  for (const tx of view.transactions) {
    if (tx.kind !== 'anchor' || !inFlight(tx)) continue;
    if (!found || (tx.treeSize ?? 0) > (found.treeSize ?? 0)) found = tx;
  }
  return found;
}

/** The latest failed anchor of a tree larger than the last one mined: the ledger's newest entries are not on chain. */
function failedAnchor(view: AnchoringView): AnchorTransactionView | null {
  const anchored = view.lastAnchor?.treeSize ?? 0;
  let found: AnchorTransactionView | null = null;
  for (const tx of view.transactions) {
    if (tx.kind !== 'anchor' || tx.state !== 'failed' || (tx.treeSize ?? 0) <= anchored) continue;
    if (!found || tx.updatedAt > found.updatedAt) found = tx;
  }
  return found;
}

function anchorStateText(view: AnchoringView): string {
  if (!view.settings.enabled) return 'Off';
  const pending = pendingAnchor(view);
  const size = (tx: AnchorTransactionView) => (tx.treeSize === null ? 'the ledger' : entriesText(tx.treeSize));
  if (pending) {
    if (pending.state === 'queued' && (pending.lastError !== null || pending.nextAttemptAt !== null)) {
      return `Waiting to retry anchoring ${size(pending)}${pending.lastError ? `: ${pending.lastError}` : ''}`;
    }
    return `Anchoring ${size(pending)}…`;
  }
  const failed = failedAnchor(view);
  if (failed) return `Anchoring ${size(failed)} failed: ${failed.lastError ?? 'the chain gave no reason'}`;
  if (view.lastAnchor) return `Anchored: ${entriesText(view.lastAnchor.treeSize)}, block ${view.lastAnchor.blockNumber}`;
  return 'Not anchored yet';
}

/**
 * The status line (`anchoring-status`): the anchor's state — off, on its way, waiting
 * to retry, failed, the last anchored size and block, or not anchored yet — then the
 * revocations not yet on chain, which matter as much.
 */
export function anchoringStatusText(view: AnchoringView): string {
  const parts = [anchorStateText(view)];
  const revocations = view.transactions.filter((tx) => tx.kind === 'revoke');
  const pending = revocations.filter(inFlight).length;
  const failed = revocations.filter((tx) => tx.state === 'failed').length;
  const count = (n: number) => `${formatCount(n)} ${n === 1 ? 'revocation' : 'revocations'}`;
  if (pending > 0) parts.push(`${count(pending)} pending`);
  if (failed > 0) parts.push(`${count(failed)} failed`);
  return parts.join(' · ');
}

const WEI_PER_MICRO_ETH = 10n ** 12n;
const MICRO_PER_ETH = 1_000_000n;
const THOUSANDS = new Intl.NumberFormat('en');

/**
 * A wei amount (decimal string) as ETH with 4 to 6 decimals, rounded to the nearest
 * millionth: 1 ETH is "1.0000 ETH", 0.000123456 ETH is "0.000123 ETH". An amount
 * above zero but below half a millionth reads "< 0.000001 ETH", never as nothing.
 */
export function formatEth(wei: string): string {
  if (!/^\d{1,78}$/.test(wei)) throw new Error(`A balance must be a whole number of wei, not ${JSON.stringify(wei.slice(0, 40))}.`);
  const value = BigInt(wei);
  const micro = (value + WEI_PER_MICRO_ETH / 2n) / WEI_PER_MICRO_ETH;
  if (micro === 0n && value > 0n) return '< 0.000001 ETH';
  const whole = micro / MICRO_PER_ETH;
  const fraction = (micro % MICRO_PER_ETH).toString().padStart(6, '0').replace(/0{1,2}$/, '');
  return `${THOUSANDS.format(whole)}.${fraction} ETH`;
}

/** The balance line (`anchoring-balance`): the amount, or why it is unknown. */
export function balanceText(view: AnchoringView): { text: string; unknown: boolean } {
  if (view.balanceWei !== null) {
    try {
      return { text: formatEth(view.balanceWei), unknown: false };
    } catch (failure) {
      return { text: `Unknown: ${(failure as Error).message}`, unknown: true };
    }
  }
  if (view.balanceError) return { text: `Unknown: ${view.balanceError}`, unknown: true };
  return { text: view.settings.enabled ? 'Unknown' : 'Unknown while anchoring is off', unknown: true };
}

export function transactionKindText(tx: AnchorTransactionView): string {
  if (tx.kind === 'anchor') return tx.treeSize === null ? 'Anchor' : `Anchor of ${entriesText(tx.treeSize)}`;
  return tx.grantId === null ? 'Revocation' : `Revocation of grant ${tx.grantId}`;
}

/** A queued transaction whose last send failed: it waits for its next attempt. */
export function waitingToRetry(tx: AnchorTransactionView): boolean {
  return tx.state === 'queued' && (tx.lastError !== null || tx.nextAttemptAt !== null);
}

export function transactionStateText(tx: AnchorTransactionView): string {
  switch (tx.state) {
    case 'queued':
      return waitingToRetry(tx) ? 'Waiting to retry' : 'Waiting to be sent';
    case 'sent':
      return 'Sent, waiting to be mined';
    case 'confirmed':
      return 'Confirmed';
    case 'failed':
      return 'Failed';
  }
}

/** The pill class of a state, as the grant pills: done is green, failed red, retrying amber. */
export function transactionStateClass(tx: AnchorTransactionView): string {
  if (tx.state === 'confirmed') return 'pill pill-ok';
  if (tx.state === 'failed') return 'pill pill-danger';
  return waitingToRetry(tx) ? 'pill pill-warn' : 'pill pill-muted';
}

/** Failed ones and those waiting after a failure: the user may send them again now. */
export function canRetry(tx: AnchorTransactionView): boolean {
  return tx.state === 'failed' || waitingToRetry(tx);
}

/** `0x12ab34…9f0e1d`: both ends of a hash or address stay recognisable. */
export function shortHex(hex: string): string {
  return hex.length <= 16 ? hex : `${hex.slice(0, 8)}…${hex.slice(-6)}`;
}

/** How long until a retry, for a countdown: "due now", "in 12 s", "in 3 min". */
export function countdownText(seconds: number): string {
  if (seconds <= 0) return 'due now';
  if (seconds < 60) return `in ${seconds} s`;
  return `in ${Math.ceil(seconds / 60)} min`;
}

export interface AnchorNowState {
  disabled: boolean;
  label: string;
  /** Why the button is disabled, for its description. */
  reason: string | null;
}

/** "Anchor now" is armed only while anchoring is on and no anchor is already on its way (that one shows its progress). */
export function anchorNowState(view: AnchoringView): AnchorNowState {
  if (!view.settings.enabled) return { disabled: true, label: 'Anchor now', reason: 'Turn anchoring on and save first.' };
  const pending = pendingAnchor(view);
  if (pending) {
    const size = pending.treeSize === null ? 'the ledger' : entriesText(pending.treeSize);
    return { disabled: true, label: `Anchoring ${size}…`, reason: 'An anchor is already on its way.' };
  }
  return { disabled: false, label: 'Anchor now', reason: null };
}

/** The form as typed: numbers stay text until checked. */
export interface AnchoringForm {
  enabled: boolean;
  rpcUrl: string;
  contract: string;
  everyEntries: string;
  everyMinutes: string;
}

export type AnchoringField = keyof AnchoringForm;

export type SetAnchoringCommand = Extract<UiCommand, { command: 'setAnchoring' }>;

export type AnchoringFormCheck =
  | { ok: true; command: SetAnchoringCommand }
  | { ok: false; field: AnchoringField; message: string };

export function formFromSettings(settings: AnchoringSettingsView): AnchoringForm {
  return {
    enabled: settings.enabled,
    rpcUrl: settings.rpcUrl ?? '',
    contract: settings.contract ?? '',
    everyEntries: String(settings.everyEntries),
    everyMinutes: String(settings.everyMinutes),
  };
}

const CONTRACT_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const RPC_URL_MAX = 2048;

function rpcUrlProblem(text: string): string | null {
  if (text === '') return 'Enter the JSON-RPC URL of an EVM node, e.g. http://127.0.0.1:8545.';
  if (text.length > RPC_URL_MAX) return `The RPC URL must be at most ${RPC_URL_MAX} characters.`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'The RPC URL is not a URL: it must look like http://127.0.0.1:8545 or https://rpc.example.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `The RPC URL must start with http:// or https://, not ${url.protocol}//.`;
  return null;
}

function wholeNumber(text: string, min: number, max: number): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : null;
}

/** Checks the form as the protocol will, so the message names the field at once; the wallet checks again. */
export function checkAnchoringForm(form: AnchoringForm): AnchoringFormCheck {
  const rpcUrl = form.rpcUrl.trim();
  const contract = form.contract.trim();
  const rpcProblem = rpcUrlProblem(rpcUrl);
  if (rpcProblem) return { ok: false, field: 'rpcUrl', message: rpcProblem };
  if (contract === '') return { ok: false, field: 'contract', message: 'Enter the anchoring contract’s address (0x and 40 hex digits).' };
  if (!CONTRACT_ADDRESS.test(contract)) {
    return { ok: false, field: 'contract', message: 'That is not a contract address: it must be 0x followed by 40 hex digits.' };
  }
  const everyEntries = wholeNumber(form.everyEntries, 1, ANCHOR_EVERY_ENTRIES_MAX);
  if (everyEntries === null) {
    return { ok: false, field: 'everyEntries', message: `Anchor every: enter a whole number of entries from 1 to ${formatCount(ANCHOR_EVERY_ENTRIES_MAX)}.` };
  }
  const everyMinutes = wholeNumber(form.everyMinutes, ANCHOR_EVERY_MINUTES_MIN, ANCHOR_EVERY_MINUTES_MAX);
  if (everyMinutes === null) {
    return {
      ok: false,
      field: 'everyMinutes',
      message: `Or every: enter a whole number of minutes from ${ANCHOR_EVERY_MINUTES_MIN} to ${formatCount(ANCHOR_EVERY_MINUTES_MAX)}.`,
    };
  }
  return { ok: true, command: { command: 'setAnchoring', enabled: form.enabled, rpcUrl, contract, everyEntries, everyMinutes } };
}

/** Turning anchoring on (from off) first shows the privacy notice and asks (DESIGN §6). */
export function needsPrivacyConsent(settings: AnchoringSettingsView, command: SetAnchoringCommand): boolean {
  return command.enabled && !settings.enabled;
}
