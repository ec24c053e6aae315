import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIREFOX_ADDON_ID, firefoxManifest, type ChromeManifest } from './firefox-manifest.ts';

const chrome = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../manifest.json'), 'utf8')) as ChromeManifest;

describe('firefoxManifest', () => {
  const firefox = firefoxManifest(chrome);

  it('runs the background as an event page of the three scripts, the lazily loaded ones first', () => {
    expect(firefox.background).toEqual({ scripts: ['chain.js', 'credentials.js', 'background.js'] });
  });

  it('names the add-on and the Firefox version with every feature used', () => {
    expect(firefox.browser_specific_settings).toEqual({
      gecko: { id: FIREFOX_ADDON_ID, strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } },
      gecko_android: { strict_min_version: '142.0' },
    });
    expect(firefox).not.toHaveProperty('minimum_chrome_version');
  });

  it("asks for Firefox's redirect host instead of Chromium's, that one host only", () => {
    const hash = createHash('sha1').update(FIREFOX_ADDON_ID).digest('hex');
    expect(firefox.host_permissions).toEqual([`https://${hash}.extensions.allizom.org/*`]);
    // The blocked redirect is read from webNavigation in Firefox (tabs.onUpdated gives it no URL).
    expect(firefox.permissions).toEqual([...(chrome.permissions as string[]), 'webNavigation']);
    expect(firefox.permissions).toContain('declarativeNetRequestWithHostAccess');
    expect(() => firefoxManifest({ ...chrome, host_permissions: [] })).toThrow(/redirect host/);
  });

  it('keeps everything else as manifest.json has it (one source of truth)', () => {
    const { background: _b, minimum_chrome_version: _m, host_permissions: _h, permissions: _p, ...rest } = chrome;
    const { background: _fb, browser_specific_settings: _s, host_permissions: _fh, permissions: _fp, ...firefoxRest } = firefox;
    expect(firefoxRest).toEqual(rest);
    // The MAIN-world provider and the CSP really are there.
    expect((firefox.content_scripts as { world?: string }[]).some((s) => s.world === 'MAIN')).toBe(true);
    expect(firefox.content_security_policy).toEqual(chrome.content_security_policy);
  });

  it('refuses a manifest it cannot turn into an event page', () => {
    expect(() => firefoxManifest({ ...chrome, manifest_version: 2 })).toThrow(/manifest_version 3/);
    expect(() => firefoxManifest({ ...chrome, background: { service_worker: '' } })).toThrow(/service_worker is missing/);
    expect(() => firefoxManifest({ ...chrome, background: { service_worker: 'background.js', type: 'module' } })).toThrow(/module worker/);
  });
});
