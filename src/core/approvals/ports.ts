/**
 * Shows an approval to the user; the browser adapter opens a popup window. The window
 * closes itself once decided; a window the user closes settles the approval as rejected.
 */
export interface ApprovalPresenter {
  open(approvalId: string): Promise<{ windowId: number | null }>;
  /** Whether a window `open` returned still exists (asked on worker start, to settle approvals whose window went away unseen). */
  isOpen(windowId: number): Promise<boolean>;
}
