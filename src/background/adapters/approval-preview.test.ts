import { describe, expect, it } from 'vitest';
import { loginPreview, type PreviewSources } from './approval-preview.ts';

const at = Date.parse('2026-12-02T08:00:00.000Z');

function sources(kind: string, unlocked: boolean): PreviewSources {
  return {
    approval: async (id) => (id === 'a1' ? { kind, origin: 'https://shop.example', createdAt: at } : undefined),
    unlocked: async () => unlocked,
  };
}

describe('loginPreview', () => {
  it("gives a login's header while unlocked", async () => {
    expect(await loginPreview(sources('identity', true))('a1')).toEqual({
      kind: 'identity',
      origin: 'https://shop.example',
      createdAt: '2026-12-02T08:00:00.000Z',
    });
  });

  it('gives none while locked, for other kinds, and for an approval that is gone', async () => {
    expect(await loginPreview(sources('identity', false))('a1')).toBeNull();
    expect(await loginPreview(sources('credentials', true))('a1')).toBeNull();
    expect(await loginPreview(sources('identity', true))('gone')).toBeNull();
  });
});
