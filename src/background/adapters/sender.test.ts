import type browser from 'webextension-polyfill';
import { describe, expect, it, vi } from 'vitest';

const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
vi.mock('webextension-polyfill', () => ({
  default: { runtime: { id: EXTENSION_ID, getURL: (path: string) => `chrome-extension://${EXTENSION_ID}${path}` } },
}));
const { classifySender } = await import('./sender.ts');

const TOP = 'http://127.0.0.1:8080';
const OTHER = 'http://127.0.0.2:8080';

/** What Chrome hands the listener for a message from our content script in some frame of a tab. */
function pageSender({ origin, frameId, topUrl }: { origin: string; frameId?: number; topUrl?: string }): browser.Runtime.MessageSender {
  return {
    id: EXTENSION_ID,
    origin,
    url: `${origin}/plain`,
    frameId,
    tab: { id: 7, index: 0, highlighted: true, active: true, pinned: false, incognito: false, ...(topUrl ? { url: topUrl } : {}) },
  } as browser.Runtime.MessageSender;
}

describe('classifySender', () => {
  it('a top frame is a page, never a cross-origin frame', () => {
    expect(classifySender(pageSender({ origin: TOP, frameId: 0, topUrl: `${TOP}/plain` }))).toEqual({
      tier: 'page',
      origin: TOP,
      tabId: 7,
      crossOriginFrame: false,
    });
  });

  it('a frame of the top-level origin is served like the top frame', () => {
    expect(classifySender(pageSender({ origin: TOP, frameId: 6, topUrl: `${TOP}/other?x=1` }))).toMatchObject({
      tier: 'page',
      origin: TOP,
      crossOriginFrame: false,
    });
  });

  it('a frame of another origin than its top-level page is a cross-origin frame (origin is still its own)', () => {
    expect(classifySender(pageSender({ origin: OTHER, frameId: 6, topUrl: `${TOP}/plain` }))).toEqual({
      tier: 'page',
      origin: OTHER,
      tabId: 7,
      crossOriginFrame: true,
    });
    // Same host, other port or scheme: other origins.
    expect(classifySender(pageSender({ origin: 'http://127.0.0.1:9090', frameId: 3, topUrl: `${TOP}/` }))).toMatchObject({ crossOriginFrame: true });
    expect(classifySender(pageSender({ origin: 'https://127.0.0.1:8080', frameId: 3, topUrl: `${TOP}/` }))).toMatchObject({ crossOriginFrame: true });
  });

  it('a sub-frame whose top-level origin cannot be told counts as cross-origin', () => {
    for (const topUrl of [undefined, 'about:blank', 'data:text/html,hi', 'not a url']) {
      expect(classifySender(pageSender({ origin: TOP, frameId: 4, topUrl }))).toMatchObject({ tier: 'page', crossOriginFrame: true });
    }
  });

  it('without a frameId (other browsers) the tab URL decides', () => {
    expect(classifySender(pageSender({ origin: TOP, topUrl: `${TOP}/plain` }))).toMatchObject({ crossOriginFrame: false });
    expect(classifySender(pageSender({ origin: OTHER, topUrl: `${TOP}/plain` }))).toMatchObject({ crossOriginFrame: true });
  });

  it('a sandboxed frame (opaque origin) is refused as such, whatever its URL, in a top or a sub-frame', () => {
    // What Chrome and firefox-esr 153 hand over for `<iframe sandbox="allow-scripts" src="/plain">`.
    expect(classifySender(pageSender({ origin: 'null', frameId: 2, topUrl: `${TOP}/plain` }))).toEqual({ tier: 'opaque-page', tabId: 7 });
    // A sandboxed top-level document (CSP sandbox): same.
    expect(classifySender(pageSender({ origin: 'null', frameId: 0, topUrl: `${TOP}/plain` }))).toEqual({ tier: 'opaque-page', tabId: 7 });
  });

  it('without sender.origin the URL is not taken for the origin (it may be a sandboxed frame\'s)', () => {
    const { origin: _origin, ...withoutOrigin } = pageSender({ origin: TOP, frameId: 0, topUrl: `${TOP}/plain` }) as browser.Runtime.MessageSender & { origin?: string };
    expect(classifySender(withoutOrigin)).toEqual({ tier: 'untrusted' });
    expect(classifySender({ ...withoutOrigin, origin: '' } as browser.Runtime.MessageSender)).toEqual({ tier: 'untrusted' });
  });

  // (The extension tier is not checked here: Node's URL gives chrome-extension: URLs an opaque origin.)
  it('foreign extensions, opaque origins without a tab and tabless senders stay untrusted', () => {
    expect(classifySender({ ...pageSender({ origin: TOP, frameId: 0, topUrl: TOP }), id: 'another-extension' })).toEqual({ tier: 'untrusted' });
    expect(classifySender({ ...pageSender({ origin: 'null', frameId: 0, topUrl: TOP }), id: 'another-extension' })).toEqual({ tier: 'untrusted' });
    expect(classifySender({ id: EXTENSION_ID, origin: 'null', url: `${TOP}/` } as browser.Runtime.MessageSender)).toEqual({ tier: 'untrusted' });
    expect(classifySender({ id: EXTENSION_ID, origin: TOP, url: `${TOP}/` } as browser.Runtime.MessageSender)).toEqual({ tier: 'untrusted' });
  });
});
