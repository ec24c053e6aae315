/**
 * A grant's receipt download (`receipt-<grant id>`). The button says whether the
 * receipt proof comes with it: the wallet is asked once when the button is shown, and
 * again on every click (the file always holds the answer of that click).
 */
import { useEffect, useState } from 'preact/hooks';
import { downloadJson } from '../components/download.ts';
import type { Action } from '../components/hooks.ts';
import { sendUiCommand } from '../components/wallet-client.ts';
import { receiptDownloadDescription, receiptDownloadLabel, receiptFile, receiptFileName } from './anchoring-receipt.ts';

export function ReceiptDownloadButton({ grantId, action }: { grantId: string; action: Action }) {
  const [anchored, setAnchored] = useState<boolean | null>(null);

  useEffect(() => {
    let shown = true;
    sendUiCommand({ command: 'getReceipt', grantId }).then(
      (view) => {
        if (shown) setAnchored(view.receiptProof !== null);
      },
      // Only the label waits on this answer: without it the button promises the
      // receipt alone, and a click asks again and shows any error beside the grant.
      () => undefined,
    );
    return () => {
      shown = false;
    };
  }, [grantId]);

  const download = () =>
    action.run(async () => {
      const view = await sendUiCommand({ command: 'getReceipt', grantId });
      setAnchored(view.receiptProof !== null);
      downloadJson(receiptFileName(grantId), receiptFile(view));
    });

  return (
    <button
      type="button"
      class="button small"
      data-testid={`receipt-${grantId}`}
      data-proof={anchored === null ? undefined : String(anchored)}
      title={receiptDownloadDescription(anchored)}
      disabled={action.busy}
      onClick={() => void download()}
    >
      {receiptDownloadLabel(anchored)}
    </button>
  );
}
