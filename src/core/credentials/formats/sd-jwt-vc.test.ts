import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHolder,
  createTestIssuer,
  disclosureDigest,
  encodeDisclosure,
  fakeHolderKeys,
  issueSdJwtVc,
  peekJwt,
  randomSalt,
  signJwt,
  testResolver,
  withEditedPayload,
  withTamperedSignature,
  type TestHolder,
  type TestIssuer,
} from '../../../../test/support/issuers.ts';
import { verifyCredential } from '../verify-credential.ts';
import type { CredentialDeps } from './binding.ts';
import { readSdJwt, unpackSdJwt } from './sd-jwt-vc.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const nowS = NOW / 1000;

let issuer: TestIssuer;
let p256Issuer: TestIssuer;
let other: TestIssuer;
let holder: TestHolder;
let p256Holder: TestHolder;
let stranger: TestHolder;
let deps: CredentialDeps;

beforeAll(async () => {
  [issuer, p256Issuer, other, holder, p256Holder, stranger] = await Promise.all([
    createTestIssuer(),
    createTestIssuer({ keyType: 'P-256' }),
    createTestIssuer(),
    createTestHolder(),
    createTestHolder({ keyType: 'P-256' }),
    createTestHolder(),
  ]);
  deps = { resolver: testResolver(), holderKeys: fakeHolderKeys([holder, p256Holder]), now: NOW };
});

const CLAIMS = {
  given_name: 'Ada',
  family_name: 'Lovelace',
  address: { street: 'Main St 1', locality: 'Berlin', country: 'DE' },
  nationalities: ['DE', 'FR', 'GB'],
  age_equal_or_over: { '18': true, '65': false },
};

const issue = (overrides: Partial<Parameters<typeof issueSdJwtVc>[1]> = {}, by: TestIssuer = issuer) =>
  issueSdJwtVc(by, {
    vct: 'https://registry.example/pid',
    holderJwk: holder.publicJwk,
    claims: CLAIMS,
    disclosable: ['given_name', 'family_name', 'address', 'address.street', 'nationalities.1', 'nationalities.2', 'age_equal_or_over.18'],
    iat: nowS - 60,
    exp: nowS + 86_400,
    ...overrides,
  });

/** An SD-JWT VC over exactly this payload and these disclosures, signed with jose. */
const craft = async (payload: Record<string, unknown>, disclosures: string[], by: TestIssuer = issuer) =>
  `${await signJwt(by, { iss: by.did, vct: 'urn:test', cnf: { jwk: holder.publicJwk }, ...payload }, { typ: 'dc+sd-jwt' })}~${disclosures
    .map((d) => `${d}~`)
    .join('')}`;

const byPath = (claims: { path: (string | number)[]; disclosable: boolean }[]) =>
  Object.fromEntries(claims.map((c) => [c.path.join('.'), c.disclosable]));

describe('dc+sd-jwt (SD-JWT VC)', () => {
  it('accepts an @sd-jwt/sd-jwt-vc credential: document with every disclosure applied, disclosable leaves marked', async () => {
    const raw = await issue({ decoys: 3, status: { kind: 'token-status-list', index: 42, listUrl: 'https://registry.example/status/7' } });
    const verified = await verifyCredential(raw, deps);

    expect(verified.format).toBe('dc+sd-jwt');
    expect(verified.raw).toBe(raw);
    expect(verified.issuer).toBe(issuer.did);
    expect(verified.vct).toBe('https://registry.example/pid');
    expect(verified.types).toEqual(['https://registry.example/pid']);
    expect(verified.holder).toEqual(holder.binding);
    expect(verified.issuedAt).toBe(new Date((nowS - 60) * 1000).toISOString());
    expect(verified.validFrom).toBeNull();
    expect(verified.validUntil).toBe(new Date((nowS + 86_400) * 1000).toISOString());
    expect(verified.status).toEqual([{ kind: 'token-status-list', index: 42, listUrl: 'https://registry.example/status/7' }]);
    expect(verified.document).toEqual({
      iss: issuer.did,
      iat: nowS - 60,
      exp: nowS + 86_400,
      vct: 'https://registry.example/pid',
      cnf: { jwk: holder.publicJwk },
      status: { status_list: { idx: 42, uri: 'https://registry.example/status/7' } },
      ...CLAIMS,
    });
    expect(JSON.stringify(verified.document)).not.toMatch(/"_sd"|"_sd_alg"|"\.\.\."/);
    expect(byPath(verified.claims)).toEqual({
      given_name: true,
      family_name: true,
      'address.street': true,
      'address.locality': true, // inside the disclosable `address` object
      'address.country': true,
      'nationalities.0': false,
      'nationalities.1': true,
      'nationalities.2': true,
      'age_equal_or_over.18': true,
      'age_equal_or_over.65': false,
    });
    expect(verified.claims.find((c) => c.path.join('.') === 'nationalities.2')).toEqual({
      path: ['nationalities', 2],
      value: 'GB',
      disclosable: true,
    });
  });

  it('accepts a credential without disclosures; nothing is disclosable', async () => {
    const verified = await verifyCredential(await issue({ disclosable: [] }), deps);
    expect(verified.claims.every((c) => !c.disclosable)).toBe(true);
    expect(verified.claims).toHaveLength(10);
  });

  it('accepts an ES256 issuer, a P-256 holder key and the legacy typ vc+sd-jwt', async () => {
    const raw = await issue({ holderJwk: p256Holder.publicJwk, header: { typ: 'vc+sd-jwt' } }, p256Issuer);
    const verified = await verifyCredential(raw, deps);
    expect(verified.issuer).toBe(p256Issuer.did);
    expect(verified.holder).toEqual(p256Holder.binding);
  });

  it('binds by cnf.kid naming a wallet DID key', async () => {
    const verified = await verifyCredential(await issue({ holderJwk: undefined, holderKid: holder.kid }), deps);
    expect(verified.holder).toEqual(holder.binding);
  });

  it('places disclosed array elements at their index after withheld ones are dropped', async () => {
    const a = encodeDisclosure([randomSalt(), 'x']);
    const raw = await craft({ list: [{ '...': disclosureDigest(encodeDisclosure([randomSalt(), 'withheld'])) }, 'plain', { '...': disclosureDigest(a) }] }, [a]);
    const { document, disclosures } = await unpackSdJwt(peekJwt(raw).payload, [a]);
    expect(document.list).toEqual(['plain', 'x']);
    expect(disclosures[0]?.path).toEqual(['list', 1]);
  });

  describe('refuses', () => {
    it('a tampered signature byte', async () => {
      await expect(verifyCredential(withTamperedSignature(await issue()), deps)).rejects.toMatchObject({
        code: 'bad_signature',
        message: expect.stringContaining("The issuer's signature does not verify"),
      });
    });

    it('an edited payload', async () => {
      const raw = withEditedPayload(await issue(), (p) => {
        p.exp = nowS + 10 * 365 * 86_400;
      });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({ code: 'bad_signature' });
    });

    it('a kid of another DID', async () => {
      await expect(verifyCredential(await issue({ header: { kid: other.kid } }), deps)).rejects.toMatchObject({
        code: 'bad_signature',
        message: `The key ${other.kid} does not belong to ${issuer.did}`,
      });
    });

    it('an expired credential', async () => {
      await expect(verifyCredential(await issue({ exp: nowS - 3600 }), deps)).rejects.toMatchObject({
        code: 'expired',
        message: `The credential expired on ${new Date((nowS - 3600) * 1000).toISOString()}`,
      });
    });

    it('a credential not yet valid', async () => {
      await expect(verifyCredential(await issue({ nbf: nowS + 3600 }), deps)).rejects.toMatchObject({
        code: 'not_yet_valid',
        message: `The credential is not valid until ${new Date((nowS + 3600) * 1000).toISOString()}`,
      });
    });

    it('a credential bound to a key the wallet does not hold', async () => {
      await expect(verifyCredential(await issue({ holderJwk: stranger.publicJwk }), deps)).rejects.toMatchObject({
        code: 'not_bound',
        message: `The credential is bound to the key OKP Ed25519 x=${stranger.publicJwk.x}, which this wallet does not hold`,
      });
    });

    it('a cnf.kid of a DID the wallet does not hold, or of another key of a held DID', async () => {
      await expect(verifyCredential(await issue({ holderJwk: undefined, holderKid: stranger.kid }), deps)).rejects.toMatchObject({
        code: 'not_bound',
        message: `The credential is bound to ${stranger.kid}, which this wallet does not hold`,
      });
      await expect(verifyCredential(await issue({ holderJwk: undefined, holderKid: `${holder.did}#other` }), deps)).rejects.toMatchObject({
        code: 'not_bound',
      });
    });

    it('a credential without cnf', async () => {
      await expect(verifyCredential(await issue({ holderJwk: undefined }), deps)).rejects.toMatchObject({
        code: 'not_bound',
        message: "The credential has no holder key ('cnf'), so it cannot be bound to this wallet",
      });
    });

    it('a disclosure whose digest is not in the payload', async () => {
      const extra = encodeDisclosure([randomSalt(), 'is_admin', true]);
      const raw = `${await issue()}${extra}~`;
      const count = raw.split('~').length - 2;
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'bad_signature',
        message: `Disclosure ${count} ('is_admin') is not part of the credential: its digest is not in the payload the issuer signed`,
      });
    });

    it('an edited disclosure', async () => {
      const raw = await issue();
      const parts = raw.split('~');
      const index = parts.findIndex((p, i) => i > 0 && p !== '' && Buffer.from(p, 'base64url').toString().includes('given_name'));
      const [salt] = JSON.parse(Buffer.from(parts[index] ?? '', 'base64url').toString()) as [string];
      parts[index] = encodeDisclosure([salt, 'given_name', 'Eve']);
      await expect(verifyCredential(parts.join('~'), deps)).rejects.toMatchObject({
        code: 'bad_signature',
        message: expect.stringContaining(`Disclosure ${index} ('given_name') is not part of the credential`),
      });
    });

    it('an SD-JWT offered with a key-binding JWT', async () => {
      const kbJwt = await signJwt(holder, { iat: nowS, aud: 'origin:https://rp.example', nonce: 'n', sd_hash: 'x' }, { typ: 'kb+jwt' });
      await expect(verifyCredential(`${await issue()}${kbJwt}`, deps)).rejects.toMatchObject({
        code: 'unsupported_format',
        message: 'This SD-JWT ends in a key-binding JWT, so it is a presentation; offer the credential itself, ending in "~"',
      });
    });

    it('a disclosure that would replace a claim the issuer signed in the clear', async () => {
      const d = encodeDisclosure([randomSalt(), 'given_name', 'Eve']);
      const raw = await craft({ given_name: 'Ada', _sd: [disclosureDigest(d)] }, [d]);
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'malformed',
        message: "Disclosure 1 ('given_name') discloses a claim that the credential already contains",
      });
    });

    it('a selectively disclosed cnf', async () => {
      const d = encodeDisclosure([randomSalt(), 'cnf', { jwk: holder.publicJwk }]);
      const jwt = await signJwt(issuer, { iss: issuer.did, vct: 'urn:test', _sd: [disclosureDigest(d)] }, { typ: 'dc+sd-jwt' });
      await expect(verifyCredential(`${jwt}~${d}~`, deps)).rejects.toMatchObject({
        code: 'malformed',
        message: "The claim 'cnf' must not be selectively disclosable in an SD-JWT VC",
      });
    });

    it('the same digest twice, or an array disclosure used as a property', async () => {
      const d = encodeDisclosure([randomSalt(), 'a', 1]);
      await expect(verifyCredential(await craft({ _sd: [disclosureDigest(d)], x: { _sd: [disclosureDigest(d)] } }, [d]), deps)).rejects.toMatchObject({
        code: 'malformed',
        message: `The digest ${disclosureDigest(d)} appears more than once in the SD-JWT`,
      });
      const e = encodeDisclosure([randomSalt(), 'DE']);
      await expect(verifyCredential(await craft({ _sd: [disclosureDigest(e)] }, [e]), deps)).rejects.toMatchObject({
        code: 'malformed',
        message: 'Disclosure 1 discloses an array element, but the payload lists it as a property',
      });
    });

    it('a repeated disclosure', async () => {
      const d = encodeDisclosure([randomSalt(), 'a', 1]);
      await expect(verifyCredential(await craft({ _sd: [disclosureDigest(d)] }, [d, d]), deps)).rejects.toMatchObject({
        code: 'malformed',
        message: 'Disclosure 2 repeats disclosure 1',
      });
    });

    it('a digest algorithm other than sha-256', async () => {
      await expect(verifyCredential(await craft({ _sd_alg: 'sha-512' }, []), deps)).rejects.toMatchObject({
        code: 'unsupported_format',
        message: 'The SD-JWT uses the digest algorithm sha-512; Tessera supports sha-256',
      });
    });

    it('a disclosure that is not base64url JSON', async () => {
      await expect(verifyCredential(await craft({}, ['not*base64']), deps)).rejects.toMatchObject({
        code: 'malformed',
        message: 'Disclosure 1 is not valid base64url',
      });
    });

    it('an SD-JWT without vct', async () => {
      const jwt = await signJwt(issuer, { iss: issuer.did, cnf: { jwk: holder.publicJwk } }, { typ: 'dc+sd-jwt' });
      await expect(verifyCredential(`${jwt}~`, deps)).rejects.toMatchObject({
        code: 'malformed',
        message: "The SD-JWT VC has no 'vct' (credential type)",
      });
    });

    it('an SD-JWT of another typ, or without the final ~', async () => {
      const raw = await issue({ header: { typ: 'example+sd-jwt' } });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'unsupported_format',
        message: expect.stringContaining('An SD-JWT of type "example+sd-jwt" is not an SD-JWT VC'),
      });
      await expect(verifyCredential((await issue()).slice(0, -1), deps)).rejects.toMatchObject({
        code: 'malformed',
        message: "The SD-JWT does not end with '~'",
      });
      await expect(verifyCredential((await issue({ disclosable: [] })).slice(0, -1), deps)).rejects.toMatchObject({
        code: 'malformed',
        message: expect.stringContaining("does not end with '~'"),
      });
    });
  });
});

describe('readSdJwt', () => {
  it('returns the issuer JWT and each disclosure with the path it discloses', async () => {
    const raw = await issue();
    const read = await readSdJwt(raw);
    expect(read.issuerJwt).toBe(raw.split('~')[0]);
    expect(read.disclosures.map((d) => d.path.join('.')).sort()).toEqual(
      ['address', 'address.street', 'age_equal_or_over.18', 'family_name', 'given_name', 'nationalities.1', 'nationalities.2'].sort(),
    );
    const street = read.disclosures.find((d) => d.name === 'street');
    expect(street).toMatchObject({ value: 'Main St 1', path: ['address', 'street'] });
    expect(raw).toContain(`~${street?.encoded}~`);
    expect(read.document.address).toEqual(CLAIMS.address);
  });
});
