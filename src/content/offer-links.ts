/**
 * Credential offer links (`<a href="openid-credential-offer://…">`): a click the user
 * made (`event.isTrusted`; a page's synthetic click is not a user's) is taken from the
 * browser, which knows no handler for the scheme, and handed to the wallet as an offer
 * from this page's origin (the worker takes the origin from the runtime sender). Sent
 * on its own channel, which the page's postMessage bridge cannot produce, so a page
 * script cannot pass its own call off as the user's click.
 */
import { MAX_REQUEST_BYTES } from '../protocol/limits.ts';

export const OFFER_LINK_CHANNEL = 'offer-link';
const SCHEME = 'openid-credential-offer:';

export interface OfferLinkMessage {
  channel: typeof OFFER_LINK_CHANNEL;
  href: string;
}

/** What of a click event this reads (a DOM MouseEvent in the page). */
export interface ClickLike {
  isTrusted: boolean;
  defaultPrevented: boolean;
  button: number;
  target: EventTarget | null;
  preventDefault(): void;
}

/** The offer link a click followed, or null (not a user's primary click on an offer link). */
export function offerLinkOf(event: ClickLike): string | null {
  if (!event.isTrusted || event.defaultPrevented || event.button !== 0) return null;
  const target = event.target as { closest?: (selector: string) => { getAttribute(name: string): string | null } | null } | null;
  const anchor = typeof target?.closest === 'function' ? target.closest('a[href]') : null;
  const href = anchor?.getAttribute('href')?.trim() ?? '';
  if (!href.toLowerCase().startsWith(SCHEME) || href.length > MAX_REQUEST_BYTES) return null;
  return href;
}

/** Watches the document's clicks (capture phase, before the page's handlers can re-target them). */
export function watchOfferLinks(target: { addEventListener(type: 'click', listener: (event: MouseEvent) => void, capture: boolean): void }, send: (message: OfferLinkMessage) => void): void {
  target.addEventListener(
    'click',
    (event) => {
      const href = offerLinkOf(event);
      if (href === null) return;
      event.preventDefault();
      send({ channel: OFFER_LINK_CHANNEL, href });
    },
    true,
  );
}
