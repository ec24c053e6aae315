import { describe, expect, it } from 'vitest';
import { previewQuery, readPreview, type IdentityPreview } from './approval-preview.ts';

const preview: IdentityPreview = { kind: 'identity', origin: 'https://shop.example:8443', createdAt: '2026-12-02T08:00:00.000Z' };
const search = (query: string) => new URLSearchParams(`?id=abc${query}`);

describe('approval preview', () => {
  it('reads back what the worker put in the URL, next to the approval id', () => {
    const params = search(previewQuery(preview));
    expect(params.get('id')).toBe('abc');
    expect(readPreview(params)).toEqual(preview);
  });

  it('keeps an origin with characters that need escaping intact', () => {
    const odd = { ...preview, origin: 'http://xn--bcher-kva.example' };
    expect(readPreview(search(previewQuery(odd)))).toEqual(odd);
  });

  it('gives none when absent or not well-formed, rather than a guess', () => {
    expect(readPreview(search(''))).toBeNull();
    const bad = (changes: Record<string, string>) => {
      const params = search(previewQuery(preview));
      for (const [k, v] of Object.entries(changes)) params.set(k, v);
      return readPreview(params);
    };
    expect(bad({ preview: 'credentials' })).toBeNull();
    expect(bad({ origin: 'https://shop.example/path' })).toBeNull();
    expect(bad({ origin: 'javascript:alert(1)' })).toBeNull();
    expect(bad({ origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' })).toBeNull();
    expect(bad({ origin: 'not a url' })).toBeNull();
    expect(bad({ at: 'yesterday' })).toBeNull();
    expect(bad({ at: '2026-12-02' })).toBeNull();
  });
});
