import { describe, expect, it } from 'vitest';
import type { AnchorTransactionState } from '../../protocol/anchoring-views.ts';
import { anchorDue, anchorInFlight, retryDelayMs, unanchoredEntries } from './anchor-policy.ts';
import type { AnchorTransaction, AnchoringState, ConfirmedAnchor } from './anchoring-records.ts';
import { initialAnchoringState } from './anchoring-store.ts';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const MINUTE = 60_000;

/** Anchoring on, every 16 entries or 60 minutes; `changes` on top. */
function stateWith(changes: Partial<AnchoringState> = {}): AnchoringState {
  const base = initialAnchoringState();
  return {
    ...base,
    settings: { ...base.settings, enabled: true, rpcUrl: 'http://127.0.0.1:8545/', contract: '0x5fbdb2315678afecb367f032d93f642f64180aa3', chainId: 31337, everyEntries: 16, everyMinutes: 60 },
    lastQueuedAt: new Date(T0).toISOString(),
    ...changes,
  };
}

function anchoredAt(treeSize: number): ConfirmedAnchor {
  return {
    treeSize,
    root: 'A'.repeat(43),
    checkpoint: 'note',
    chainId: 31337,
    contract: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
    account: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
    logId: `0x${'11'.repeat(32)}`,
    txHash: `0x${'22'.repeat(32)}`,
    blockNumber: 7,
    at: new Date(T0).toISOString(),
  };
}

function queued(kind: AnchorTransaction['kind'], state: AnchorTransactionState): AnchorTransaction {
  return {
    v: 1,
    id: `${kind}-${state}`,
    kind,
    state,
    rpcUrl: 'http://127.0.0.1:8545/',
    contract: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
    chainId: 31337,
    treeSize: kind === 'anchor' ? 5 : null,
    root: null,
    checkpoint: null,
    grantId: kind === 'revoke' ? 'g1' : null,
    receiptHash: null,
    signed: null,
    blockNumber: null,
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    createdAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
  };
}

describe('anchorDue: every N entries', () => {
  it('anchors once N entries were added since the last anchor, not before', () => {
    const state = stateWith({ lastAnchor: anchoredAt(10), ownEntries: 1 });
    // 10 anchored + its own anchor.sent entry + 15 new ones: one short.
    expect(anchorDue(state, [], 26, T0)).toBeNull();
    expect(anchorDue(state, [], 27, T0)).toBe('entries');
    expect(anchorDue(state, [], 40, T0)).toBe('entries');
  });

  it('counts from zero before the first anchor', () => {
    const state = stateWith();
    expect(anchorDue(state, [], 15, T0 + MINUTE)).toBeNull();
    expect(anchorDue(state, [], 16, T0 + MINUTE)).toBe('entries');
  });

  it('follows the configured N', () => {
    const state = stateWith({ settings: { ...stateWith().settings, everyEntries: 3 } });
    expect(anchorDue(state, [], 2, T0)).toBeNull();
    expect(anchorDue(state, [], 3, T0)).toBe('entries');
  });
});

describe('anchorDue: every T minutes, only with new entries', () => {
  it('anchors after T minutes when entries were added', () => {
    const state = stateWith({ lastAnchor: anchoredAt(10), ownEntries: 1 });
    expect(anchorDue(state, [], 12, T0 + 59 * MINUTE)).toBeNull();
    expect(anchorDue(state, [], 12, T0 + 60 * MINUTE)).toBe('time');
  });

  it('does not anchor after T minutes when nothing was added', () => {
    const state = stateWith({ lastAnchor: anchoredAt(10), ownEntries: 1 });
    expect(anchorDue(state, [], 11, T0 + 600 * MINUTE)).toBeNull();
  });

  it('counts the minutes from when the last anchor was queued', () => {
    const later = new Date(T0 + 30 * MINUTE).toISOString();
    const state = stateWith({ lastAnchor: anchoredAt(10), ownEntries: 1, lastQueuedAt: later });
    expect(anchorDue(state, [], 12, T0 + 60 * MINUTE)).toBeNull();
    expect(anchorDue(state, [], 12, T0 + 90 * MINUTE)).toBe('time');
  });

  it('anchors at once when no anchor was ever queued (the period has not started)', () => {
    // What the code does today: the first pass after turning anchoring on anchors
    // whatever the ledger holds, whatever N is (see the report of issue 8, helper E).
    expect(anchorDue(stateWith({ lastQueuedAt: null }), [], 3, T0)).toBe('time');
  });
});

describe('anchorDue: on demand', () => {
  it('anchors on demand below N and before T', () => {
    const state = stateWith({ lastAnchor: anchoredAt(10), ownEntries: 1 });
    expect(anchorDue(state, [], 12, T0, false)).toBeNull();
    expect(anchorDue(state, [], 12, T0, true)).toBe('demand');
    // Only the last anchor's own entry is new: on demand still anchors it (the user asked).
    expect(anchorDue(state, [], 11, T0, true)).toBe('demand');
  });

  it('never anchors a size the chain already has, not even on demand', () => {
    const state = stateWith({ lastAnchor: anchoredAt(10), ownEntries: 0, lastQueuedAt: null });
    expect(anchorDue(state, [], 10, T0, true)).toBeNull();
    expect(anchorDue(state, [], 9, T0, true)).toBeNull();
    expect(anchorDue(state, [], 10, T0 + 600 * MINUTE)).toBeNull();
  });

  it('anchors nothing while off or while the ledger is empty', () => {
    const off = stateWith();
    off.settings.enabled = false;
    expect(anchorDue(off, [], 100, T0, true)).toBeNull();
    expect(anchorDue(stateWith({ lastQueuedAt: null }), [], 0, T0, true)).toBeNull();
  });
});

describe('own anchor.sent entries', () => {
  it('never make the next anchor due by themselves', () => {
    const state = stateWith({ lastAnchor: anchoredAt(10), ownEntries: 1, lastQueuedAt: null });
    expect(unanchoredEntries(state, 11)).toBe(0);
    expect(anchorDue(state, [], 11, T0 + 10_000 * MINUTE)).toBeNull();
    // Three confirmations of the wallet's own (the anchor, two revocations) still count for nothing.
    const more = { ...state, ownEntries: 3, settings: { ...state.settings, everyEntries: 1 } };
    expect(anchorDue(more, [], 13, T0 + 10_000 * MINUTE)).toBeNull();
    expect(anchorDue(more, [], 14, T0)).toBe('entries');
  });

  it('unanchoredEntries is the ledger beyond the anchor less the own entries, never negative', () => {
    expect(unanchoredEntries(stateWith({ lastAnchor: anchoredAt(10), ownEntries: 1 }), 15)).toBe(4);
    expect(unanchoredEntries(stateWith(), 7)).toBe(7);
    expect(unanchoredEntries(stateWith({ lastAnchor: anchoredAt(10), ownEntries: 3 }), 11)).toBe(0);
  });
});

describe('one anchor in flight', () => {
  it('waits while an anchor is queued or sent', () => {
    for (const state of ['queued', 'sent'] as const) {
      expect(anchorInFlight([queued('anchor', state)])).toBe(true);
      expect(anchorDue(stateWith(), [queued('anchor', state)], 100, T0, true)).toBeNull();
    }
  });

  it('does not wait for a confirmed or failed anchor, nor for revocations', () => {
    const others = [queued('anchor', 'confirmed'), queued('anchor', 'failed'), queued('revoke', 'queued'), queued('revoke', 'sent')];
    expect(anchorInFlight(others)).toBe(false);
    expect(anchorDue(stateWith(), others, 100, T0)).toBe('entries');
  });
});

describe('retryDelayMs', () => {
  it('backs off from 30 seconds, doubling, up to 30 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_800_000, 1_800_000, 1_800_000]);
  });
});
