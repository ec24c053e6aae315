/**
 * TEST ONLY. Issuers, holders and a DID resolver built with libraries independent of
 * the wallet's own verification code (did-jwt-vc, jose, @sd-jwt/sd-jwt-vc,
 * key-did-resolver, Veramo's did:jwk resolver), so tests check interoperability rather
 * than the wallet agreeing with itself. May use Node built-ins; never bundled.
 *
 *   const issuer = await createTestIssuer();            // Ed25519 did:key
 *   const holder = await createTestHolder();            // a wallet DID + key
 *   const jwt = await issueJwtVc(issuer, { subjectDid: holder.did, claims: { given_name: 'Ada' } });
 *   await verifyCredential(jwt, { resolver: testResolver(), holderKeys: fakeHolderKeys([holder]), now: Date.now() });
 */
import { ed25519 } from '@noble/curves/ed25519';
import { base58 } from '@scure/base';
import { ES256, digest, generateSalt, getSigner } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance, type SdJwtVcPayload } from '@sd-jwt/sd-jwt-vc';
import type { DisclosureFrame } from '@sd-jwt/types';
import { getDidJwkResolver } from '@veramo/did-provider-jwk';
import { EdDSASigner, ES256Signer, type Signer as DidJwtSigner } from 'did-jwt';
import { createVerifiableCredentialJwt } from 'did-jwt-vc';
import { Resolver } from 'did-resolver';
import { CompactSign, exportJWK, generateKeyPair, importJWK } from 'jose';
import { getResolver as getKeyDidResolver } from 'key-did-resolver';
import { Buffer } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import type { DidResolver, HolderBinding, HolderKeys, StatusReference } from '../../src/core/credentials/types.ts';

export type TestKeyType = 'Ed25519' | 'P-256';

/** A DID with one signing key, usable as an issuer or a holder. */
export interface TestKey {
  keyType: TestKeyType;
  /** `did:key` (Ed25519) or `did:jwk`. */
  did: string;
  /** The verification method (DID URL) of the key. */
  kid: string;
  alg: 'EdDSA' | 'ES256';
  publicJwk: JsonWebKey;
  privateJwk: JsonWebKey;
  /** Hex of the public key bytes (Ed25519: 32 bytes; P-256: 0x04 ‖ x ‖ y). */
  publicKeyHex: string;
}

export type TestIssuer = TestKey;

/** A wallet key: a TestKey with the HolderBinding the wallet reports for it. */
export interface TestHolder extends TestKey {
  binding: HolderBinding;
}

/**
 * A new issuer DID: Ed25519 as `did:key` (default; `method: 'jwk'` for `did:jwk`), or
 * P-256 as `did:jwk` (the wallet reads did:key P-256 only with a JWK).
 */
export async function createTestKey(options: { keyType?: TestKeyType; method?: 'key' | 'jwk' } = {}): Promise<TestKey> {
  const keyType = options.keyType ?? 'Ed25519';
  if (keyType === 'Ed25519') {
    const seed = ed25519.utils.randomPrivateKey();
    const publicKey = ed25519.getPublicKey(seed);
    const publicJwk: JsonWebKey = { kty: 'OKP', crv: 'Ed25519', x: b64u(publicKey) };
    const privateJwk: JsonWebKey = { ...publicJwk, d: b64u(seed) };
    const publicKeyHex = Buffer.from(publicKey).toString('hex');
    if (options.method === 'jwk') return { keyType, alg: 'EdDSA', publicJwk, privateJwk, publicKeyHex, ...didJwk(publicJwk) };
    const multibase = `z${base58.encode(Uint8Array.from([0xed, 0x01, ...publicKey]))}`;
    const did = `did:key:${multibase}`;
    return { keyType, alg: 'EdDSA', did, kid: `${did}#${multibase}`, publicJwk, privateJwk, publicKeyHex };
  }
  if (options.method === 'key') throw new Error('P-256 test keys are did:jwk');
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const { kty, crv, x, y } = await exportJWK(publicKey);
  const publicJwk: JsonWebKey = { kty, crv, x, y };
  const privateJwk: JsonWebKey = { ...publicJwk, d: (await exportJWK(privateKey)).d };
  const publicKeyHex = Buffer.concat([Buffer.from([4]), Buffer.from(x ?? '', 'base64url'), Buffer.from(y ?? '', 'base64url')]).toString('hex');
  return { keyType, alg: 'ES256', publicJwk, privateJwk, publicKeyHex, ...didJwk(publicJwk) };
}

/** An issuer: see createTestKey. */
export const createTestIssuer = createTestKey;

/** A wallet DID and key with its binding (`keyRef` = public key hex, as kms-local names keys). */
export async function createTestHolder(options: { keyType?: TestKeyType; method?: 'key' | 'jwk' } = {}): Promise<TestHolder> {
  const key = await createTestKey(options);
  return { ...key, binding: { did: key.did, kid: key.kid, keyRef: key.publicKeyHex } };
}

function didJwk(publicJwk: JsonWebKey): { did: string; kid: string } {
  const did = `did:jwk:${b64u(Buffer.from(JSON.stringify({ ...publicJwk, use: 'sig' })))}`;
  return { did, kid: `${did}#0` };
}

/** A DID resolver for did:key and did:jwk (key-did-resolver + Veramo's did:jwk resolver). */
export function testResolver(): DidResolver {
  return new Resolver({ ...getKeyDidResolver(), ...getDidJwkResolver() }) as unknown as DidResolver;
}

/** HolderKeys over a fixed set of wallet keys (TestHolder, or a binding with its public JWK). */
export function fakeHolderKeys(holders: (TestHolder | { binding: HolderBinding; publicJwk?: JsonWebKey })[]): HolderKeys {
  return {
    async byDid(did) {
      return holders.find((h) => h.binding.did === did)?.binding ?? null;
    },
    async byJwk(jwk) {
      const same = (a: JsonWebKey) => a.kty === jwk.kty && a.crv === jwk.crv && a.x === jwk.x && a.y === jwk.y;
      return holders.find((h) => h.publicJwk && same(h.publicJwk))?.binding ?? null;
    },
  };
}

/** Times in seconds since the epoch (JWT NumericDate). */
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A did-jwt signer for a test key. */
export function didJwtSigner(key: TestKey): DidJwtSigner {
  const secret = Buffer.from(key.privateJwk.d ?? '', 'base64url');
  return key.alg === 'EdDSA' ? EdDSASigner(secret) : ES256Signer(secret);
}

export interface JwtVcOptions {
  subjectDid: string;
  /** `credentialSubject` members besides `id`. */
  claims: Record<string, unknown>;
  /** Credential types; VerifiableCredential is added first when missing. */
  types?: string[];
  /** NumericDates (seconds). `iat` defaults to now; `nbf`/`exp` are left out unless given. */
  iat?: number;
  nbf?: number;
  exp?: number;
  jti?: string;
  /** W3C Bitstring Status List entries (`credentialStatus`). */
  status?: Extract<StatusReference, { kind: 'bitstring' }>[];
  /** Extra members of the `vc` claim (e.g. `@context`, `issuer`). */
  vc?: Record<string, unknown>;
  /** Header parameters to add or override (`kid` defaults to the issuer key, `typ` is "JWT"). */
  header?: Record<string, unknown>;
}

/** A VC Data Model 1.1 JWT (`jwt_vc_json`), made with did-jwt-vc. */
export async function issueJwtVc(issuer: TestIssuer, options: JwtVcOptions): Promise<string> {
  const payload: Record<string, unknown> = {
    sub: options.subjectDid,
    iat: options.iat ?? nowSeconds(),
    ...(options.nbf === undefined ? {} : { nbf: options.nbf }),
    ...(options.exp === undefined ? {} : { exp: options.exp }),
    ...(options.jti === undefined ? {} : { jti: options.jti }),
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: withVcType(options.types),
      credentialSubject: { ...options.claims },
      ...(options.status ? { credentialStatus: options.status.map((ref) => bitstringEntry(ref)) } : {}),
      ...options.vc,
    },
  };
  return createVerifiableCredentialJwt(
    payload as unknown as Parameters<typeof createVerifiableCredentialJwt>[0],
    { did: issuer.did, signer: didJwtSigner(issuer), alg: issuer.alg },
    { header: { kid: issuer.kid, ...options.header } as Record<string, string> },
  );
}

export interface VcJose2Options {
  subjectDid: string;
  claims: Record<string, unknown>;
  types?: string[];
  /** ISO date-times. */
  validFrom?: string;
  validUntil?: string;
  status?: Extract<StatusReference, { kind: 'bitstring' }>[];
  /** `issuer` as an object `{ id, ...issuer }` instead of the DID string. */
  issuerObject?: Record<string, unknown>;
  /** Extra or overriding credential members. */
  credential?: Record<string, unknown>;
  /** Header parameters to add or override (`typ` is "vc+jwt", `kid` the issuer key). */
  header?: Record<string, unknown>;
}

/** A VC Data Model 2.0 credential secured as `vc+jwt` (VC-JOSE-COSE), signed with jose. */
export async function issueVcJose2(issuer: TestIssuer, options: VcJose2Options): Promise<string> {
  const credential: Record<string, unknown> = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: withVcType(options.types),
    issuer: options.issuerObject ? { id: issuer.did, ...options.issuerObject } : issuer.did,
    ...(options.validFrom === undefined ? {} : { validFrom: options.validFrom }),
    ...(options.validUntil === undefined ? {} : { validUntil: options.validUntil }),
    credentialSubject: { id: options.subjectDid, ...options.claims },
    ...(options.status ? { credentialStatus: options.status.map((ref) => bitstringEntry(ref)) } : {}),
    ...options.credential,
  };
  return signJwt(issuer, credential, { typ: 'vc+jwt', ...options.header });
}

export interface SdJwtVcOptions {
  vct: string;
  /** The holder key as `cnf.jwk` (or use `holderKid` for `cnf.kid`). */
  holderJwk?: JsonWebKey;
  holderKid?: string;
  /** User claims (nested objects and arrays allowed). */
  claims: Record<string, unknown>;
  /**
   * Paths of the selectively disclosable claims: "given_name", "address.street",
   * "nationalities.1", or arrays such as ["address", "street"]. A path whose parent is
   * an array discloses that element.
   */
  disclosable?: (string | (string | number)[])[];
  /** NumericDates (seconds); `iat` defaults to now. */
  iat?: number;
  nbf?: number;
  exp?: number;
  /** Token Status List reference (`status.status_list`). */
  status?: Extract<StatusReference, { kind: 'token-status-list' }>;
  /** Decoy digests added at the top level. */
  decoys?: number;
  /** Header parameters to add or override (`typ` is "dc+sd-jwt", `kid` the issuer key). */
  header?: Record<string, unknown>;
}

/** An SD-JWT VC (`dc+sd-jwt`), made with @sd-jwt/sd-jwt-vc and @sd-jwt/crypto-nodejs. */
export async function issueSdJwtVc(issuer: TestIssuer, options: SdJwtVcOptions): Promise<string> {
  const signer =
    issuer.alg === 'ES256'
      ? await ES256.getSigner(issuer.privateJwk)
      : await getSigner(issuer.privateJwk, { name: 'Ed25519' }, { name: 'Ed25519' });
  const sdjwt = new SDJwtVcInstance({ signer, signAlg: issuer.alg, hasher: digest, saltGenerator: generateSalt });
  const cnf = options.holderJwk ? { jwk: options.holderJwk } : options.holderKid ? { kid: options.holderKid } : undefined;
  const payload = {
    iss: issuer.did,
    iat: options.iat ?? nowSeconds(),
    ...(options.nbf === undefined ? {} : { nbf: options.nbf }),
    ...(options.exp === undefined ? {} : { exp: options.exp }),
    vct: options.vct,
    ...(cnf ? { cnf } : {}),
    ...(options.status ? { status: { status_list: { idx: options.status.index, uri: options.status.listUrl } } } : {}),
    ...options.claims,
  };
  const frame = disclosureFrame(options.claims, options.disclosable ?? []);
  if (options.decoys) frame._sd_decoy = options.decoys;
  return sdjwt.issue(payload as SdJwtVcPayload, frame as DisclosureFrame<SdJwtVcPayload>, {
    header: { kid: issuer.kid, ...options.header },
  });
}

type Frame = { _sd?: (string | number)[]; _sd_decoy?: number; [key: string]: unknown };

/** The @sd-jwt disclosure frame for claim paths (array elements are numbered). */
export function disclosureFrame(claims: Record<string, unknown>, paths: (string | (string | number)[])[]): Frame {
  const root: Frame = {};
  for (const path of paths) {
    const segments = typeof path === 'string' ? path.split('.') : path.map(String);
    let frame = root;
    let node: unknown = claims;
    segments.forEach((segment, i) => {
      const inArray = Array.isArray(node);
      const key: string | number = inArray ? Number(segment) : segment;
      if (node === null || typeof node !== 'object' || !(key in node)) throw new Error(`No claim at ${segments.join('.')}`);
      if (i === segments.length - 1) {
        (frame._sd ??= []).push(key);
      } else {
        frame = (frame[segment] ??= {}) as Frame;
        node = (node as Record<string | number, unknown>)[key];
      }
    });
  }
  return root;
}

/**
 * A compact JWS over exactly `payload`, signed with jose by the key; the header gets
 * the key's `alg` and `kid` unless `header` overrides them (e.g. a `typ`).
 */
export async function signJwt(key: TestKey, payload: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const privateKey = await importJWK(key.privateJwk as Parameters<typeof importJWK>[0], key.alg);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .sign(privateKey);
}

/** The SD-JWT digest (base64url SHA-256) of an encoded disclosure. */
export const disclosureDigest = (encoded: string): string => createHash('sha256').update(encoded).digest('base64url');

/** A compact JWT (or SD-JWT) with one signature byte changed. */
export function withTamperedSignature(credential: string): string {
  const [jwt = '', ...rest] = credential.split('~');
  const [header, payload, signature = ''] = jwt.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return [`${header}.${payload}.${b64u(bytes)}`, ...rest].join('~');
}

/** A compact JWT (or SD-JWT) with its payload edited and the original signature kept. */
export function withEditedPayload(credential: string, edit: (payload: Record<string, unknown>) => void): string {
  const [jwt = '', ...rest] = credential.split('~');
  const [header, payload = '', signature] = jwt.split('.');
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  edit(decoded);
  return [`${header}.${b64u(Buffer.from(JSON.stringify(decoded)))}.${signature}`, ...rest].join('~');
}

/** The decoded JWT header and payload of a compact JWT or SD-JWT (no verification). */
export function peekJwt(credential: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header = '', payload = ''] = (credential.split('~')[0] ?? '').split('.');
  const parse = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: parse(header), payload: parse(payload) };
}

/** An encoded SD-JWT disclosure, e.g. to append one the issuer never signed. */
export function encodeDisclosure(value: [string, unknown] | [string, string, unknown]): string {
  return b64u(Buffer.from(JSON.stringify(value)));
}

/** A random salt for encodeDisclosure. */
export const randomSalt = (): string => b64u(randomBytes(16));

function withVcType(types: string[] = []): string[] {
  return ['VerifiableCredential', ...types.filter((t) => t !== 'VerifiableCredential')];
}

function bitstringEntry(ref: Extract<StatusReference, { kind: 'bitstring' }>): Record<string, unknown> {
  return {
    id: `${ref.listUrl}#${ref.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: ref.purpose,
    statusListIndex: String(ref.index),
    statusListCredential: ref.listUrl,
  };
}

function b64u(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
