import { describe, expect, it } from 'vitest';
import { offerLinkOf, watchOfferLinks, type ClickLike, type OfferLinkMessage } from './offer-links.ts';

const OFFER = 'openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fissuer.example%2Foffers%2F1';

function click(href: string | null, overrides: Partial<ClickLike> = {}): ClickLike & { prevented: boolean } {
  const anchor = href === null ? null : { getAttribute: (name: string) => (name === 'href' ? href : null) };
  const event = {
    isTrusted: true,
    defaultPrevented: false,
    button: 0,
    target: { closest: (selector: string) => (selector === 'a[href]' ? anchor : null) } as unknown as EventTarget,
    prevented: false,
    preventDefault() {
      event.prevented = true;
    },
    ...overrides,
  };
  return event;
}

describe('offer links', () => {
  it('takes a user\'s click on an offer link (also on an element inside the link)', () => {
    expect(offerLinkOf(click(OFFER))).toBe(OFFER);
    expect(offerLinkOf(click(`  ${OFFER.toUpperCase().slice(0, 24)}x`))).toBe(`${OFFER.toUpperCase().slice(0, 24)}x`);
  });

  it('ignores synthetic clicks, other buttons, handled clicks, other links and oversized hrefs', () => {
    expect(offerLinkOf(click(OFFER, { isTrusted: false }))).toBeNull();
    expect(offerLinkOf(click(OFFER, { button: 1 }))).toBeNull();
    expect(offerLinkOf(click(OFFER, { defaultPrevented: true }))).toBeNull();
    expect(offerLinkOf(click('https://issuer.example/'))).toBeNull();
    expect(offerLinkOf(click(null))).toBeNull();
    expect(offerLinkOf(click(`${OFFER}${'x'.repeat(70_000)}`))).toBeNull();
    expect(offerLinkOf({ ...click(OFFER), target: null })).toBeNull();
  });

  it('prevents the navigation and sends the offer on its own channel; nothing for a synthetic click', () => {
    let listener: ((event: MouseEvent) => void) | undefined;
    let capture = false;
    const sent: OfferLinkMessage[] = [];
    watchOfferLinks({ addEventListener: (_type, l, c) => ((listener = l), (capture = c)) }, (m) => sent.push(m));
    expect(capture).toBe(true);
    const synthetic = click(OFFER, { isTrusted: false });
    listener?.(synthetic as unknown as MouseEvent);
    expect([synthetic.prevented, sent]).toEqual([false, []]);
    const real = click(OFFER);
    listener?.(real as unknown as MouseEvent);
    expect(real.prevented).toBe(true);
    expect(sent).toEqual([{ channel: 'offer-link', href: OFFER }]);
  });
});
