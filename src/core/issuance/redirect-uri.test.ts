import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isRedirect, redirectHostFor, redirectUriFor } from './redirect-uri.ts';

const CHROMIUM_ID = 'abcdefghijklmnopabcdefghijklmnop';

describe('the redirect URI per browser', () => {
  it('is the extension id under chromiumapp.org in Chromium', () => {
    expect(redirectUriFor(CHROMIUM_ID, 'chromium')).toBe(`https://${CHROMIUM_ID}.chromiumapp.org/openid4vci/callback`);
  });

  it('refuses what is not a Chromium extension id (no host of ours, or a way into the URL)', () => {
    for (const id of ['', 'abcdefghijklmnop', `${CHROMIUM_ID}a`, 'qbcdefghijklmnopabcdefghijklmnop', 'evil.example/x?', 'ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP']) {
      expect(() => redirectUriFor(id, 'chromium'), id).toThrow('Not a Chromium extension id');
    }
  });

  it("is Firefox's identity.getRedirectURL() host in Firefox: hex SHA-1 of the add-on id under extensions.allizom.org", () => {
    const id = 'tessera@aldmere.example';
    const hash = createHash('sha1').update(id, 'utf8').digest('hex');
    expect(redirectHostFor(id, 'firefox')).toBe(`${hash}.extensions.allizom.org`);
    expect(redirectUriFor(id, 'firefox')).toBe(`https://${hash}.extensions.allizom.org/openid4vci/callback`);
    // A valid host: one 40-character DNS label, nothing of the id's @ and dots left.
    expect(new URL(redirectUriFor(id, 'firefox')).hostname).toBe(`${hash}.extensions.allizom.org`);
    expect(hash).toMatch(/^[0-9a-f]{40}$/);
    // UUID-form add-on ids hash alike; distinct ids, distinct hosts.
    expect(redirectHostFor('{d3b07384-d113-4ec6-a8e6-1c4e8c1f0a11}', 'firefox')).not.toBe(redirectHostFor(id, 'firefox'));
    expect(() => redirectHostFor('', 'firefox')).toThrow('no id');
  });

  it('recognises the redirect with its query or fragment only, not a look-alike', () => {
    const uri = redirectUriFor(CHROMIUM_ID, 'chromium');
    expect(isRedirect(`${uri}?code=c&state=s`, uri)).toBe(true);
    expect(isRedirect(`${uri}#code=c`, uri)).toBe(true);
    expect(isRedirect(uri, uri)).toBe(true);
    expect(isRedirect(`${uri}x?code=c`, uri)).toBe(false);
    expect(isRedirect(`${uri}/more?code=c`, uri)).toBe(false);
    expect(isRedirect(`https://${CHROMIUM_ID}.chromiumapp.org.evil.example/openid4vci/callback?code=c`, uri)).toBe(false);
  });
});
