import browser from 'webextension-polyfill';
import type { ApprovalPresenter } from '../../core/ports.ts';
import { previewQuery, type IdentityPreview } from '../../protocol/approval-preview.ts';

const WIDTH = 420;
const HEIGHT = 640;

/**
 * Shows approvals in their own popup window (`windows.create`), so an approval
 * does not depend on the toolbar popup staying open. The URL carries the approval's
 * id and, where there is one, its preview (protocol/approval-preview.ts).
 */
export class WindowApprovalPresenter implements ApprovalPresenter {
  constructor(private readonly previewOf: (approvalId: string) => Promise<IdentityPreview | null> = async () => null) {}

  async open(approvalId: string): Promise<{ windowId: number | null }> {
    // A preview is an extra; without one the window shows the request after its look-up.
    const preview = await this.previewOf(approvalId).catch(() => null);
    const query = `?id=${encodeURIComponent(approvalId)}${preview ? previewQuery(preview) : ''}`;
    const url = browser.runtime.getURL(`approval/index.html${query}`);
    const options = { url, type: 'popup' as const, width: WIDTH, height: HEIGHT, focused: true };
    let created: browser.Windows.Window;
    try {
      created = await browser.windows.create({ ...options, ...(await this.position()) });
    } catch {
      // Bounds off-screen (multi-monitor changes, headless): let the browser place it.
      created = await browser.windows.create(options);
    }
    return { windowId: created.id ?? null };
  }

  /** `windows.get` rejects for a window that no longer exists (ids are not reused in a browser session). */
  async isOpen(windowId: number): Promise<boolean> {
    try {
      await browser.windows.get(windowId);
      return true;
    } catch {
      return false;
    }
  }

  /** Top-right of the focused window, like a wallet popup; none if unknown. */
  private async position(): Promise<{ left?: number; top?: number }> {
    try {
      const current = await browser.windows.getLastFocused();
      if (current.left === undefined || current.width === undefined || current.top === undefined) return {};
      return { left: Math.max(0, current.left + current.width - WIDTH - 16), top: current.top + 64 };
    } catch {
      return {};
    }
  }
}
