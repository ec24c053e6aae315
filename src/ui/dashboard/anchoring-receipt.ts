/**
 * The receipt download (`receipt-<grant id>`): what the file holds and what its button
 * says. The file carries the consent receipt and its receipt proof (DESIGN §6), the
 * proof null until the ledger entry that commits to the receipt has been anchored.
 */
import type { ReceiptProof, ReceiptView } from '../../protocol/internal.ts';
import { fileNamePart } from '../components/download.ts';

export interface ReceiptFile {
  grantId: string;
  receipt: string;
  receiptProof: ReceiptProof | null;
}

/** Only the receipt, its grant and its proof: whatever else the view may come to carry stays out of the file. */
export function receiptFile(view: ReceiptView): ReceiptFile {
  return { grantId: view.grantId, receipt: view.receipt, receiptProof: view.receiptProof };
}

export function receiptFileName(grantId: string): string {
  return `tessera-receipt-${fileNamePart(grantId)}.json`;
}

/**
 * Whether the proof comes with the receipt: `true` (anchored), `false` (not yet), or
 * `null` while the wallet has not said (the button then promises only the receipt).
 */
export function receiptDownloadLabel(anchored: boolean | null): string {
  if (anchored === null) return 'Download receipt';
  return anchored ? 'Download receipt and proof' : 'Download receipt (not anchored yet)';
}

/** A longer description for the button's title and assistive technology. */
export function receiptDownloadDescription(anchored: boolean | null): string {
  if (anchored === null) return 'The consent receipt as JSON, with its chain proof if the wallet has anchored it.';
  return anchored
    ? 'The consent receipt and its receipt proof as JSON: anyone can check it against the chain with verify-receipt.'
    : 'The consent receipt as JSON; its chain proof comes once the wallet has anchored the entry (receiptProof is null until then).';
}
