import browser from 'webextension-polyfill';
import type { BackgroundToContent } from '../../protocol/envelope.ts';
import type { ProviderEventName } from '../../protocol/rpc.ts';
import type { WalletEvents } from '../../core/ports.ts';

/**
 * Provider events to open pages. Without the `tabs` permission the worker cannot
 * read tab URLs, so it sends to every tab and each content script passes the event
 * on only if its own origin matches.
 */
export class TabPageEvents implements WalletEvents {
  async toOrigin(origin: string, event: ProviderEventName, data: unknown): Promise<void> {
    const message: BackgroundToContent = { channel: 'wallet-event', origin, event, data };
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
