import { beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from '../encoding.ts';
import { CoreError } from '../errors.ts';
import { EncryptedCollection } from '../storage/encrypted-collection.ts';
import { MemoryKeyValueStore } from '../storage/memory-store.ts';
import { deriveVaultKeys } from '../vault/vault-keys.ts';
import { TrustList, type TrustedIssuer } from './trust-list.ts';

const REGISTRY = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const UNIVERSITY = 'did:web:university.example:issuers:registrar';

describe('TrustList', () => {
  let store: MemoryKeyValueStore;
  let clock: { now: number };
  let trust: TrustList;

  beforeEach(async () => {
    store = new MemoryKeyValueStore();
    clock = { now: Date.parse('2025-06-01T12:00:00Z') };
    const keys = await deriveVaultKeys(randomBytes(32));
    trust = new TrustList(new EncryptedCollection<TrustedIssuer>(store, 'trust', keys), () => clock.now);
  });

  it('adds, lists (by label), looks up and removes issuers', async () => {
    expect(await trust.list()).toEqual([]);
    expect(await trust.add(REGISTRY, '  Civic Registry ')).toEqual({ did: REGISTRY, label: 'Civic Registry', addedAt: '2025-06-01T12:00:00.000Z' });
    clock.now += 1000;
    await trust.add(UNIVERSITY, 'Bright University');
    expect((await trust.list()).map((i) => i.label)).toEqual(['Bright University', 'Civic Registry']);
    expect(await trust.isTrusted(REGISTRY)).toBe(true);
    expect(await trust.labelOf(UNIVERSITY)).toBe('Bright University');
    expect(await trust.isTrusted('did:key:z6MkOther')).toBe(false);
    expect(await trust.labelOf('did:key:z6MkOther')).toBeNull();
    expect(await trust.isTrusted('not a did')).toBe(false);

    expect(await trust.remove(REGISTRY)).toBe(true);
    expect(await trust.remove(REGISTRY)).toBe(false);
    expect(await trust.isTrusted(REGISTRY)).toBe(false);
    expect((await trust.list()).map((i) => i.did)).toEqual([UNIVERSITY]);
  });

  it('updates the label of an issuer added twice, keeping when it was first added', async () => {
    await trust.add(REGISTRY, 'Registry');
    clock.now += 86_400_000;
    const updated = await trust.add(REGISTRY, 'Civic Registry');
    expect(updated).toEqual({ did: REGISTRY, label: 'Civic Registry', addedAt: '2025-06-01T12:00:00.000Z' });
    expect(await trust.list()).toEqual([updated]);
  });

  it('keeps DIDs and labels encrypted at rest', async () => {
    await trust.add(REGISTRY, 'Civic Registry');
    const dump = JSON.stringify(store.dump(), (_key, value: unknown) => (value instanceof Uint8Array ? Array.from(value) : value));
    expect(dump).not.toContain('did:key');
    expect(dump).not.toContain('Civic');
  });

  it('refuses malformed DIDs with a precise message', async () => {
    const cases: [string, RegExp][] = [
      ['', /DID is empty/],
      ['https://issuer.example', /must start with "did:"/],
      ['did:KEY:z6Mk', /method name must be lowercase letters and digits/],
      ['did:web', /method name must be lowercase letters and digits followed by ":"/],
      ['did:key:', /method-specific id/],
      ['did:web:example.com:', /must not end with ":"/],
      [`${REGISTRY}#key-1`, /is a DID URL/],
      ['did:web:exa mple.com', /method-specific id/],
      ['did:web:bad%zz', /method-specific id/],
      [`did:web:${'a'.repeat(2100)}`, /longer than 2048/],
    ];
    for (const [did, message] of cases) {
      const error = await trust.add(did, 'Label').catch((e: unknown) => e);
      expect(error, did).toBeInstanceOf(CoreError);
      expect((error as CoreError).code).toBe('invalid_input');
      expect((error as CoreError).message, did).toMatch(message);
    }
    await expect(trust.add('did:web:example.com%3A8443:path', 'Percent-encoded port')).resolves.toBeDefined();
    expect(await trust.list()).toHaveLength(1);
  });

  it('refuses empty, long and control-character labels', async () => {
    const cases: [string, RegExp][] = [
      ['   ', /label is empty/],
      ['x'.repeat(81), /81 characters long; at most 80/],
      ['Civic\nRegistry', /control character/],
      ['Civic\u0000Registry', /control character/],
      ['Civic\u202eyrtsigeR', /control character/],
    ];
    for (const [label, message] of cases) {
      const error = await trust.add(REGISTRY, label).catch((e: unknown) => e);
      expect(error, JSON.stringify(label)).toBeInstanceOf(CoreError);
      expect((error as CoreError).code).toBe('invalid_input');
      expect((error as CoreError).message).toMatch(message);
    }
    // 80 characters, counted as the user sees them (an emoji is one).
    await expect(trust.add(REGISTRY, `${'x'.repeat(79)}🎓`)).resolves.toMatchObject({ label: `${'x'.repeat(79)}🎓` });
    expect(await trust.isTrusted(REGISTRY)).toBe(true);
  });
});
