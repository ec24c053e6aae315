import { describe, expect, test } from 'vitest';
import {
  ANCHOR_EVERY_ENTRIES_DEFAULT,
  ANCHOR_EVERY_ENTRIES_MAX,
  ANCHOR_EVERY_MINUTES_DEFAULT,
  ANCHOR_EVERY_MINUTES_MAX,
  type AnchorTransactionView,
  type AnchoringView,
} from '../../protocol/anchoring-views.ts';
import {
  ANCHORING_BUSY_POLL_MS,
  ANCHORING_IDLE_POLL_MS,
  anchorNowState,
  anchoringPollMs,
  anchoringStatusText,
  balanceText,
  canRetry,
  checkAnchoringForm,
  countdownText,
  formFromSettings,
  formatEth,
  needsPrivacyConsent,
  pendingAnchor,
  shortHex,
  transactionKindText,
  transactionStateClass,
  transactionStateText,
} from './anchoring-model.ts';

const CONTRACT = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const TX_HASH = `0x${'ab'.repeat(32)}` as const;

function view(change: Partial<AnchoringView> = {}, settings: Partial<AnchoringView['settings']> = {}): AnchoringView {
  return {
    settings: {
      enabled: true,
      rpcUrl: 'http://127.0.0.1:8545',
      contract: CONTRACT,
      chainId: 31337,
      everyEntries: ANCHOR_EVERY_ENTRIES_DEFAULT,
      everyMinutes: ANCHOR_EVERY_MINUTES_DEFAULT,
      ...settings,
    },
    account: { address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', logId: `0x${'11'.repeat(32)}` },
    balanceWei: '1000000000000000000',
    balanceError: null,
    ledgerSize: 42,
    lastAnchor: null,
    unanchoredEntries: 42,
    transactions: [],
    ...change,
  };
}

let nextId = 0;
function tx(change: Partial<AnchorTransactionView> = {}): AnchorTransactionView {
  nextId += 1;
  return {
    id: `tx-${nextId}`,
    kind: 'anchor',
    state: 'queued',
    treeSize: 42,
    root: 'A'.repeat(43),
    grantId: null,
    receiptHash: null,
    txHash: null,
    blockNumber: null,
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    createdAt: '2026-12-01T21:12:00.806Z',
    updatedAt: '2026-12-01T21:12:00.806Z',
    ...change,
  };
}

const anchored = { treeSize: 40, root: 'B'.repeat(43), txHash: TX_HASH, blockNumber: 17, at: '2026-12-01T21:10:00.000Z' };

describe('status line', () => {
  test('off, not anchored yet, and the last anchored size and block', () => {
    expect(anchoringStatusText(view({}, { enabled: false }))).toBe('Off');
    expect(anchoringStatusText(view({ lastAnchor: anchored }, { enabled: false }))).toBe('Off');
    expect(anchoringStatusText(view())).toBe('Not anchored yet');
    expect(anchoringStatusText(view({ lastAnchor: anchored }))).toBe('Anchored: 40 entries, block 17');
    expect(anchoringStatusText(view({ lastAnchor: { ...anchored, treeSize: 1 } }))).toBe('Anchored: 1 entry, block 17');
  });

  test('an anchor on its way names its size; the largest of several wins over the last anchor', () => {
    const sent = tx({ state: 'sent', treeSize: 42, txHash: TX_HASH, attempts: 1 });
    expect(anchoringStatusText(view({ lastAnchor: anchored, transactions: [sent] }))).toBe('Anchoring 42 entries…');
    const later = tx({ state: 'queued', treeSize: 4096 });
    expect(anchoringStatusText(view({ transactions: [sent, later] }))).toBe('Anchoring 4,096 entries…');
    expect(pendingAnchor(view({ transactions: [later, sent] }))?.id).toBe(later.id);
  });

  test('an anchor queued after a failed send is waiting to retry, with the reason', () => {
    const retrying = tx({ attempts: 2, lastError: 'the RPC did not answer', nextAttemptAt: '2026-12-01T21:13:00.000Z' });
    expect(anchoringStatusText(view({ transactions: [retrying] }))).toBe('Waiting to retry anchoring 42 entries: the RPC did not answer');
  });

  test('a failed anchor of entries not yet on chain is named; one older than the last anchor is not', () => {
    const failed = tx({ state: 'failed', treeSize: 42, lastError: 'execution reverted' });
    expect(anchoringStatusText(view({ lastAnchor: anchored, transactions: [failed] }))).toBe('Anchoring 42 entries failed: execution reverted');
    const stale = tx({ state: 'failed', treeSize: 30, lastError: 'execution reverted' });
    expect(anchoringStatusText(view({ lastAnchor: anchored, transactions: [stale] }))).toBe('Anchored: 40 entries, block 17');
  });

  test('revocations not yet on chain follow the anchor state', () => {
    const sending = tx({ kind: 'revoke', treeSize: null, grantId: 'g-1', state: 'sent' });
    const failed = tx({ kind: 'revoke', treeSize: null, grantId: 'g-2', state: 'failed', lastError: 'insufficient funds' });
    const done = tx({ kind: 'revoke', treeSize: null, grantId: 'g-3', state: 'confirmed', blockNumber: 9 });
    const queued = tx({ kind: 'revoke', treeSize: null, grantId: 'g-4', state: 'queued' });
    const sendingAnchor = tx({ state: 'sent', treeSize: 42 });
    expect(anchoringStatusText(view({ transactions: [sendingAnchor, sending, queued] }))).toBe('Anchoring 42 entries… · 2 revocations pending');
    expect(anchoringStatusText(view({ lastAnchor: anchored, transactions: [sending, failed, done] }))).toBe(
      'Anchored: 40 entries, block 17 · 1 revocation pending · 1 revocation failed',
    );
  });
});

describe('balance', () => {
  test('ETH with 4 to 6 decimals, rounded to the nearest millionth', () => {
    expect(formatEth('0')).toBe('0.0000 ETH');
    expect(formatEth('1000000000000000000')).toBe('1.0000 ETH');
    expect(formatEth('10000000000000000000000')).toBe('10,000.0000 ETH');
    expect(formatEth('123456789000000')).toBe('0.000123 ETH');
    expect(formatEth('1234500000000000000')).toBe('1.2345 ETH');
    expect(formatEth('1234560000000000000')).toBe('1.23456 ETH');
    expect(formatEth('1999999600000000000')).toBe('2.0000 ETH');
    expect(formatEth('500000000000')).toBe('0.000001 ETH');
  });

  test('a balance too small to show is not shown as nothing', () => {
    expect(formatEth('1')).toBe('< 0.000001 ETH');
    expect(formatEth('499999999999')).toBe('< 0.000001 ETH');
  });

  test('a value that is not whole wei is refused by name', () => {
    expect(() => formatEth('1.5')).toThrow(/whole number of wei, not "1.5"/);
    expect(() => formatEth('-1')).toThrow(/whole number of wei/);
    expect(() => formatEth('')).toThrow(/whole number of wei/);
  });

  test('unknown balances say why', () => {
    expect(balanceText(view())).toEqual({ text: '1.0000 ETH', unknown: false });
    expect(balanceText(view({ balanceWei: null, balanceError: 'the RPC did not answer' }))).toEqual({
      text: 'Unknown: the RPC did not answer',
      unknown: true,
    });
    expect(balanceText(view({ balanceWei: null }, { enabled: false })).text).toBe('Unknown while anchoring is off');
    expect(balanceText(view({ balanceWei: 'lots' })).unknown).toBe(true);
  });
});

describe('transactions', () => {
  test('kind in words', () => {
    expect(transactionKindText(tx({ treeSize: 4096 }))).toBe('Anchor of 4,096 entries');
    expect(transactionKindText(tx({ kind: 'revoke', treeSize: null, grantId: 'g-7' }))).toBe('Revocation of grant g-7');
  });

  test('state in words and colour; retry only for failed ones and those waiting after a failure', () => {
    const cases: [AnchorTransactionView, string, string, boolean][] = [
      [tx(), 'Waiting to be sent', 'pill pill-muted', false],
      [tx({ lastError: 'fetch failed', attempts: 1, nextAttemptAt: '2026-12-01T21:13:00.000Z' }), 'Waiting to retry', 'pill pill-warn', true],
      [tx({ state: 'sent', txHash: TX_HASH, attempts: 1 }), 'Sent, waiting to be mined', 'pill pill-muted', false],
      [tx({ state: 'confirmed', txHash: TX_HASH, blockNumber: 3, attempts: 1 }), 'Confirmed', 'pill pill-ok', false],
      [tx({ state: 'failed', lastError: 'execution reverted', attempts: 1 }), 'Failed', 'pill pill-danger', true],
    ];
    for (const [item, words, pill, retry] of cases) {
      expect([transactionStateText(item), transactionStateClass(item), canRetry(item)]).toEqual([words, pill, retry]);
    }
  });

  test('hashes are shortened at both ends; short ones stay whole', () => {
    expect(shortHex(TX_HASH)).toBe('0xababab…ababab');
    expect(shortHex('0x1234')).toBe('0x1234');
  });

  test('countdown to the next attempt', () => {
    expect(countdownText(0)).toBe('due now');
    expect(countdownText(12)).toBe('in 12 s');
    expect(countdownText(61)).toBe('in 2 min');
  });
});

describe('anchor now and polling', () => {
  test('disabled while off or while an anchor is on its way (showing its progress)', () => {
    expect(anchorNowState(view({}, { enabled: false }))).toEqual({ disabled: true, label: 'Anchor now', reason: 'Turn anchoring on and save first.' });
    expect(anchorNowState(view())).toEqual({ disabled: false, label: 'Anchor now', reason: null });
    expect(anchorNowState(view({ transactions: [tx({ state: 'sent', treeSize: 7 })] }))).toMatchObject({ disabled: true, label: 'Anchoring 7 entries…' });
    // A revocation on its way does not hold back an anchor.
    expect(anchorNowState(view({ transactions: [tx({ kind: 'revoke', treeSize: null, grantId: 'g', state: 'sent' })] })).disabled).toBe(false);
  });

  test('every 2 s while anything is queued or sent, else every 15 s', () => {
    expect(anchoringPollMs(undefined)).toBe(ANCHORING_IDLE_POLL_MS);
    expect(anchoringPollMs(view())).toBe(ANCHORING_IDLE_POLL_MS);
    expect(anchoringPollMs(view({ transactions: [tx({ state: 'confirmed' }), tx({ state: 'failed' })] }))).toBe(ANCHORING_IDLE_POLL_MS);
    expect(anchoringPollMs(view({ transactions: [tx({ kind: 'revoke', state: 'queued' })] }))).toBe(ANCHORING_BUSY_POLL_MS);
    expect(anchoringPollMs(view({ transactions: [tx({ state: 'sent' })] }))).toBe(ANCHORING_BUSY_POLL_MS);
    expect([ANCHORING_BUSY_POLL_MS, ANCHORING_IDLE_POLL_MS]).toEqual([2_000, 15_000]);
  });
});

describe('settings form', () => {
  const filled = { enabled: true, rpcUrl: ' http://127.0.0.1:8545 ', contract: CONTRACT, everyEntries: '16', everyMinutes: '60' };

  test('starts from the wallet’s settings, empty where none', () => {
    expect(formFromSettings(view({}, { rpcUrl: null, contract: null, enabled: false }).settings)).toEqual({
      enabled: false,
      rpcUrl: '',
      contract: '',
      everyEntries: String(ANCHOR_EVERY_ENTRIES_DEFAULT),
      everyMinutes: String(ANCHOR_EVERY_MINUTES_DEFAULT),
    });
  });

  test('a valid form becomes the setAnchoring command, trimmed and with numbers', () => {
    expect(checkAnchoringForm(filled)).toEqual({
      ok: true,
      command: { command: 'setAnchoring', enabled: true, rpcUrl: 'http://127.0.0.1:8545', contract: CONTRACT, everyEntries: 16, everyMinutes: 60 },
    });
  });

  test('each bad field is named with what it must be', () => {
    const bad = (change: Partial<typeof filled>) => checkAnchoringForm({ ...filled, ...change });
    expect(bad({ rpcUrl: '' })).toMatchObject({ ok: false, field: 'rpcUrl', message: expect.stringMatching(/Enter the JSON-RPC URL/) });
    expect(bad({ rpcUrl: 'localhost 8545' })).toMatchObject({ field: 'rpcUrl', message: expect.stringMatching(/is not a URL/) });
    expect(bad({ rpcUrl: 'ws://127.0.0.1:8545' })).toMatchObject({ field: 'rpcUrl', message: expect.stringMatching(/http:\/\/ or https:\/\/, not ws:\/\//) });
    expect(bad({ rpcUrl: `https://rpc.example/${'a'.repeat(2048)}` })).toMatchObject({ field: 'rpcUrl', message: expect.stringMatching(/at most 2048/) });
    expect(bad({ contract: '' })).toMatchObject({ field: 'contract', message: expect.stringMatching(/Enter the anchoring contract/) });
    expect(bad({ contract: '0x1234' })).toMatchObject({ field: 'contract', message: expect.stringMatching(/0x followed by 40 hex digits/) });
    expect(bad({ contract: `0x${'g'.repeat(40)}` })).toMatchObject({ field: 'contract' });
    expect(bad({ everyEntries: '0' })).toMatchObject({ field: 'everyEntries', message: expect.stringMatching(/from 1 to 100,000/) });
    expect(bad({ everyEntries: '2.5' })).toMatchObject({ field: 'everyEntries' });
    expect(bad({ everyEntries: String(ANCHOR_EVERY_ENTRIES_MAX + 1) })).toMatchObject({ field: 'everyEntries' });
    expect(bad({ everyMinutes: '' })).toMatchObject({ field: 'everyMinutes', message: expect.stringMatching(/from 1 to 10,080/) });
    expect(bad({ everyMinutes: String(ANCHOR_EVERY_MINUTES_MAX + 1) })).toMatchObject({ field: 'everyMinutes' });
    expect(bad({ everyEntries: String(ANCHOR_EVERY_ENTRIES_MAX), everyMinutes: String(ANCHOR_EVERY_MINUTES_MAX) }).ok).toBe(true);
  });

  test('the privacy notice is asked for when anchoring goes from off to on, not when already on or turning off', () => {
    const check = checkAnchoringForm(filled);
    if (!check.ok) throw new Error(check.message);
    const off = view({}, { enabled: false }).settings;
    const on = view().settings;
    expect(needsPrivacyConsent(off, check.command)).toBe(true);
    expect(needsPrivacyConsent(on, check.command)).toBe(false);
    expect(needsPrivacyConsent(on, { ...check.command, enabled: false })).toBe(false);
    expect(needsPrivacyConsent(off, { ...check.command, enabled: false })).toBe(false);
  });
});
