/** Shows an approval to the user; the browser adapter opens a popup window. */
export interface ApprovalPresenter {
  open(approvalId: string): Promise<{ windowId: number | null }>;
  close(windowId: number): Promise<void>;
}
