import { describe, expect, it } from 'vitest';
import type { CredentialDisplayView } from '../../protocol/holder-views.ts';
import { cardColours, contrastRatio, parseHexColour } from './card-colours.ts';
import { cardFor, claimLabelFor, pickLocalized, rawClaimPath } from './claim-labels.ts';

const display: CredentialDisplayView = {
  source: 'type-metadata',
  cards: [{ locale: 'de-DE', name: 'Ausweis' }, { name: 'ID card' }, { locale: 'fr', name: 'Carte' }],
  claims: [
    { path: ['given_name'], labels: [{ locale: 'de', label: 'Vorname' }, { locale: 'en-US', label: 'Given name', description: 'first names' }] },
    { path: ['nationalities', null], labels: [{ label: 'Nationality' }] },
    { path: ['nationalities', 0], labels: [{ label: 'First nationality' }] },
    { path: ['address', 'street'], labels: [] },
  ],
};

describe('claim labels', () => {
  it('picks the first preferred language: exact tag, then the same language, then no locale, then the first', () => {
    const entries = [{ locale: 'de-DE', v: 1 }, { locale: 'en', v: 2 }, { v: 3 }];
    expect(pickLocalized(entries, ['en-GB', 'de'])?.v).toBe(2);
    expect(pickLocalized(entries, ['de-CH'])?.v).toBe(1);
    expect(pickLocalized(entries, ['DE-de'])?.v).toBe(1);
    expect(pickLocalized(entries, ['ja'])?.v).toBe(3);
    expect(pickLocalized([{ locale: 'fr', v: 4 }], ['ja'])?.v).toBe(4);
    expect(pickLocalized([], ['en'])).toBeUndefined();
  });

  it('finds a label by path, an exact one before a null wildcard, and none for unlabelled or unknown claims', () => {
    expect(claimLabelFor(display, ['given_name'], ['en'])).toEqual({ label: 'Given name', description: 'first names' });
    expect(claimLabelFor(display, ['given_name'], ['de-AT'])).toEqual({ label: 'Vorname' });
    expect(claimLabelFor(display, ['nationalities', 0], ['en'])).toEqual({ label: 'First nationality' });
    expect(claimLabelFor(display, ['nationalities', 3], ['en'])).toEqual({ label: 'Nationality' });
    expect(claimLabelFor(display, ['nationalities', 'x'], ['en'])).toBeNull();
    expect(claimLabelFor(display, ['nationalities'], ['en'])).toBeNull();
    expect(claimLabelFor(display, ['address', 'street'], ['en'])).toBeNull();
    expect(claimLabelFor(undefined, ['given_name'], ['en'])).toBeNull();
  });

  it('writes raw paths as people read them', () => {
    expect(rawClaimPath(['nationalities', 0])).toBe('nationalities[0]');
    expect(rawClaimPath(['address', 'street'])).toBe('address.street');
    expect(rawClaimPath(['credentialSubject', 'degrees', 1, 'name'])).toBe('credentialSubject.degrees[1].name');
  });

  it('picks the card in the reader\'s language', () => {
    expect(cardFor(display, ['de'])?.name).toBe('Ausweis');
    expect(cardFor(display, ['es'])?.name).toBe('ID card');
    expect(cardFor(undefined, ['de'])).toBeUndefined();
  });
});

describe('card colours', () => {
  it('accepts hex colours only', () => {
    expect(parseHexColour('#12107C')).toEqual([0x12, 0x10, 0x7c]);
    expect(parseHexColour('#fff')).toEqual([255, 255, 255]);
    for (const bad of ['red', 'rgb(0,0,0)', '#12345', 'url(https://x)', '#000;background:url(x)', '', undefined]) expect(parseHexColour(bad)).toBeNull();
  });

  it('keeps readable issuer colours, swaps unreadable text for black or white, and drops invalid backgrounds', () => {
    expect(cardColours('#12107c', '#FFFFFF')).toEqual({ background: '#12107c', text: '#ffffff' });
    expect(cardColours('#12107c', '#1a1a80')).toEqual({ background: '#12107c', text: '#ffffff' });
    expect(cardColours('#ffff00', '#ffffe0')).toEqual({ background: '#ffff00', text: '#000000' });
    expect(cardColours('#777777', 'javascript:1')?.text).toBe('#000000');
    expect(cardColours('blue', '#fff')).toBeNull();
    expect(cardColours(undefined, '#fff')).toBeNull();
    const chosen = cardColours('#808080', '#888888')!;
    expect(contrastRatio(parseHexColour(chosen.background)!, parseHexColour(chosen.text)!)).toBeGreaterThanOrEqual(4.5);
  });
});
