import browser from 'webextension-polyfill';
import type { BackgroundToContent } from '../../protocol/envelope.ts';
import type { WalletEvents } from '../../core/wallet/ports.ts';

/**
 * Provider events to open pages. Without the `tabs` permission the worker cannot
 * read tab URLs, so it sends to every tab and each content script passes the event
 * on only if its own origin matches (`*` = every page that has used the provider).
 */
export class TabPageEvents implements WalletEvents {
  toOrigin(origin: string, event: string, data: unknown): Promise<void> {
    return this.broadcast({ channel: 'wallet-event', origin, event, data });
  }

  toAll(event: string, data: unknown): Promise<void> {
    return this.broadcast({ channel: 'wallet-event', origin: '*', event, data });
  }

  private async broadcast(message: BackgroundToContent): Promise<void> {
    const tabs = await browser.tabs.query({});
    await Promise.all(
      tabs.map((tab) =>
        tab.id === undefined
          ? undefined
          : // Tabs without our content script (chrome://, the store) reject: expected.
            browser.tabs.sendMessage(tab.id, message).catch(() => undefined),
      ),
    );
  }
}
