/**
 * Shows an approval to the user; the browser adapter opens a popup window. The window
 * closes itself once decided; a window the user closes settles the approval as rejected.
 */
export interface ApprovalPresenter {
  open(approvalId: string): Promise<{ windowId: number | null }>;
}
