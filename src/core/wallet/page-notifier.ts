import { ProviderEvent } from '../../protocol/rpc.ts';
import type { DomainEvent, EventSubscriber } from '../commit/domain-events.ts';
import type { WalletEvents } from '../ports.ts';

/**
 * Tells open pages what concerns them, after the change committed (DESIGN.md §3.2):
 * a revocation or expiry only to the grant's own origin, lock changes only to origins that
 * hold an active grant — a page that never connected learns nothing.
 */
export function pageNotifier(events: WalletEvents): EventSubscriber {
  return async (committed: readonly DomainEvent[]) => {
    for (const event of committed) await notify(events, event);
  };
}

async function notify(events: WalletEvents, event: DomainEvent): Promise<void> {
  switch (event.type) {
    case 'grant.revoked':
      await events.toOrigin(event.origin, ProviderEvent.grantRevoked, { grantId: event.grantId });
      return;
    case 'grant.expired':
      await events.toOrigin(event.origin, ProviderEvent.grantExpired, { grantId: event.grantId });
      return;
    case 'wallet.locked':
    case 'wallet.unlocked': {
      const name = event.type === 'wallet.locked' ? ProviderEvent.locked : ProviderEvent.unlocked;
      await Promise.all(event.activeOrigins.map((origin) => events.toOrigin(origin, name, {})));
      return;
    }
    default:
      return;
  }
}
