import { describe, expect, it } from 'vitest';
import { flattenClaims, pathKey } from './claims.ts';

describe('flattenClaims', () => {
  it('lists every leaf with DCQL-style paths (array indices as numbers)', () => {
    const claims = flattenClaims({ a: 'x', b: { c: [1, { d: null }] }, e: [], f: {}, g: false }, ['credentialSubject']);
    expect(claims).toEqual([
      { path: ['credentialSubject', 'a'], value: 'x', disclosable: false },
      { path: ['credentialSubject', 'b', 'c', 0], value: 1, disclosable: false },
      { path: ['credentialSubject', 'b', 'c', 1, 'd'], value: null, disclosable: false },
      { path: ['credentialSubject', 'e'], value: [], disclosable: false },
      { path: ['credentialSubject', 'f'], value: {}, disclosable: false },
      { path: ['credentialSubject', 'g'], value: false, disclosable: false },
    ]);
  });

  it('has no entries for an empty root', () => {
    expect(flattenClaims({}, ['credentialSubject'])).toEqual([]);
  });

  it('marks leaves disclosable when they or a containing object or array were disclosed', () => {
    const disclosed = new Set([pathKey(['address']), pathKey(['list', 1])]);
    const claims = flattenClaims({ address: { street: 's', geo: { lat: 1 } }, list: ['a', { x: 1 }], name: 'n' }, [], (p) =>
      disclosed.has(pathKey(p)),
    );
    expect(claims.map((c) => [c.path.join('.'), c.disclosable])).toEqual([
      ['address.street', true],
      ['address.geo.lat', true],
      ['list.0', false],
      ['list.1.x', true],
      ['name', false],
    ]);
  });

  it('keeps names with dots distinct from nesting', () => {
    expect(pathKey(['a.b'])).not.toBe(pathKey(['a', 'b']));
  });

  it('refuses absurdly deep nesting', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => flattenClaims({ deep })).toThrow(/nested too deeply/);
  });
});
