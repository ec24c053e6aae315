import { describe, expect, test } from 'vitest';
import type { ReceiptProof, ReceiptView } from '../../protocol/internal.ts';
import { receiptDownloadDescription, receiptDownloadLabel, receiptFile, receiptFileName } from './anchoring-receipt.ts';

const proof: ReceiptProof = {
  v: 1,
  receipt: 'eyJhbGciOiJFZERTQSJ9.e30.c2ln',
  entry: { v: 1, seq: 41, at: '2026-12-01T21:12:00.806Z', kind: 'grant.given', subject: 'g-1', digest: 'D'.repeat(43), prev: 'P'.repeat(43) },
  salt: 'S'.repeat(22),
  leafIndex: 41,
  treeSize: 64,
  inclusion: ['H'.repeat(43)],
  root: 'R'.repeat(43),
  checkpoint: 'tessera/log\n64\nRRRR\n',
  anchor: {
    chainId: 31337,
    contract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    account: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    logId: `0x${'11'.repeat(32)}`,
    txHash: `0x${'ab'.repeat(32)}`,
    blockNumber: 12,
  },
};

describe('receipt download', () => {
  test('the file holds the grant, its receipt and the proof, or null before anchoring', () => {
    const view: ReceiptView = { grantId: 'g-1', receipt: proof.receipt, receiptProof: proof };
    expect(receiptFile(view)).toEqual({ grantId: 'g-1', receipt: proof.receipt, receiptProof: proof });
    expect(receiptFile({ ...view, receiptProof: null })).toEqual({ grantId: 'g-1', receipt: proof.receipt, receiptProof: null });
    // Members the view may gain later do not leak into the file.
    expect(Object.keys(receiptFile({ ...view, extra: 'x' } as ReceiptView))).toEqual(['grantId', 'receipt', 'receiptProof']);
  });

  test('the file is named after the grant, safe for any file system', () => {
    expect(receiptFileName('2f1c-9a')).toBe('tessera-receipt-2f1c-9a.json');
    expect(receiptFileName('a/b:c')).toBe('tessera-receipt-a_b_c.json');
  });

  test('the button says whether the proof comes with the receipt', () => {
    expect(receiptDownloadLabel(true)).toBe('Download receipt and proof');
    expect(receiptDownloadLabel(false)).toBe('Download receipt (not anchored yet)');
    expect(receiptDownloadLabel(null)).toBe('Download receipt');
    expect(receiptDownloadDescription(false)).toMatch(/receiptProof is null until then/);
    expect(receiptDownloadDescription(true)).toMatch(/verify-receipt/);
  });
});
