/**
 * Test helpers for status lists (used only by the *.test.ts files beside it): did:key
 * Ed25519 issuers that sign with jose, a did:key resolver, list encoders built on
 * CompressionStream, and a scripted HttpFetcher.
 */
import type { HttpFetcher } from '../../src/core/ports.ts';
import { ed25519 } from '@noble/curves/ed25519';
import { base58 } from '@scure/base';
import { Resolver } from 'did-resolver';
import { CompactSign, importJWK } from 'jose';
import { getResolver as getKeyDidResolver } from 'key-did-resolver';
import { fromBase64, fromUtf8, randomBytes, toBase64Url, utf8 } from '../../src/core/encoding.ts';
import type { DidResolver } from '../../src/core/credentials/types.ts';

export const resolver: DidResolver = new Resolver(getKeyDidResolver()) as unknown as DidResolver;

export interface TestIssuer {
  did: string;
  /** The verification method id of its key. */
  kid: string;
  /** A compact JWS over `payload` (JSON) with `header` (alg EdDSA and kid added unless given). */
  sign(payload: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
}

export async function makeIssuer(): Promise<TestIssuer> {
  const secret = randomBytes(32);
  const publicKey = ed25519.getPublicKey(secret);
  const fingerprint = `z${base58.encode(Uint8Array.from([0xed, 0x01, ...publicKey]))}`;
  const did = `did:key:${fingerprint}`;
  const kid = `${did}#${fingerprint}`;
  const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: toBase64Url(publicKey), d: toBase64Url(secret) }, 'EdDSA');
  return {
    did,
    kid,
    sign: (payload, header = {}) =>
      new CompactSign(utf8(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', kid, ...header }).sign(key),
  };
}

export async function compress(bytes: Uint8Array<ArrayBuffer>, format: 'gzip' | 'deflate'): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A bitstring of `entries` bits with the given indexes set (index 0 = MSB of byte 0). */
export function bitstringWith(setIndexes: number[], entries = 131_072): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(entries / 8);
  for (const i of setIndexes) bytes[i >> 3] = (bytes[i >> 3] ?? 0) | (0x80 >> (i & 7));
  return bytes;
}

/** `encodedList`: multibase base64url (u) of the GZIP-compressed bitstring. */
export async function encodeBitstring(bitstring: Uint8Array<ArrayBuffer>): Promise<string> {
  return `u${toBase64Url(await compress(bitstring, 'gzip'))}`;
}

/** Token Status List bytes: `values` packed `bits` per status, least significant bits first. */
export function packStatuses(values: number[], bits: 1 | 2 | 4 | 8): Uint8Array<ArrayBuffer> {
  const perByte = 8 / bits;
  const bytes = new Uint8Array(Math.ceil(values.length / perByte));
  values.forEach((value, i) => {
    const at = Math.floor(i / perByte);
    bytes[at] = (bytes[at] ?? 0) | (value << ((i % perByte) * bits));
  });
  return bytes;
}

/** `lst`: base64url of the ZLIB-compressed bytes. */
export async function encodeLst(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toBase64Url(await compress(bytes, 'deflate'));
}

export interface BitstringListOptions {
  purpose?: string | string[];
  encodedList: string;
  ttl?: number;
  /** Overrides of the credential (vc+jwt) or of the `vc` claim (VC-JWT). */
  credential?: Record<string, unknown>;
  /** Extra JWT claims (VC-JWT) or top-level members (vc+jwt). */
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  /** The issuer named in the list (default: the signer). */
  issuer?: string;
}

/** A BitstringStatusListCredential as a VCDM 2.0 `vc+jwt`. */
export function signVcJwt2(signer: TestIssuer, url: string, options: BitstringListOptions): Promise<string> {
  const payload = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: options.issuer ?? signer.did,
    validFrom: '2024-01-01T00:00:00Z',
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: options.purpose ?? 'revocation',
      encodedList: options.encodedList,
      ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
    },
    ...options.credential,
    ...options.claims,
  };
  return signer.sign(payload, { typ: 'vc+jwt', ...options.header });
}

/** A BitstringStatusListCredential as a VCDM 1.1 VC-JWT. */
export function signVcJwt11(signer: TestIssuer, url: string, options: BitstringListOptions): Promise<string> {
  const payload = {
    iss: options.issuer ?? signer.did,
    jti: url,
    nbf: Date.parse('2024-01-01T00:00:00Z') / 1000,
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/ns/credentials/status/v1'],
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      credentialSubject: {
        id: `${url}#list`,
        type: 'BitstringStatusList',
        statusPurpose: options.purpose ?? 'revocation',
        encodedList: options.encodedList,
        ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
      },
      ...options.credential,
    },
    ...options.claims,
  };
  return signer.sign(payload, { typ: 'JWT', ...options.header });
}

export interface TokenListOptions {
  bits: 1 | 2 | 4 | 8;
  lst: string;
  iat?: number;
  ttl?: number;
  exp?: number;
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
}

/** A Status List Token (`statuslist+jwt`) for `url`. */
export function signStatusListToken(signer: TestIssuer, url: string, options: TokenListOptions): Promise<string> {
  return signer.sign(
    {
      sub: url,
      iat: options.iat ?? Date.parse('2024-01-01T00:00:00Z') / 1000,
      ...(options.exp === undefined ? {} : { exp: options.exp }),
      ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
      status_list: { bits: options.bits, lst: options.lst },
      ...options.claims,
    },
    { typ: 'statuslist+jwt', ...options.header },
  );
}

/** An HttpFetcher serving fixed bodies by URL; records every request. */
export class FakeFetcher implements HttpFetcher {
  readonly requests: string[] = [];
  private readonly routes = new Map<string, { status: number; body: string } | Error>();

  serve(url: string, body: string, status = 200): this {
    this.routes.set(url, { status, body });
    return this;
  }

  fail(url: string, error: Error): this {
    this.routes.set(url, error);
    return this;
  }

  async get(url: string): Promise<{ status: number; contentType: string | null; body: string }> {
    this.requests.push(url);
    const route = this.routes.get(url);
    if (route instanceof Error) throw route;
    if (!route) return { status: 404, contentType: 'text/plain', body: 'not found' };
    return { status: route.status, contentType: 'application/jwt', body: route.body };
  }

  async post(url: string): Promise<never> {
    this.requests.push(url);
    throw new Error(`unreachable: POST ${url}`);
  }

  count(url: string): number {
    return this.requests.filter((u) => u === url).length;
  }
}

/** The JWT with its payload changed by `edit` and the original signature kept (a forgery). */
export function tamper(jwt: string, edit: (payload: Record<string, unknown>) => void): string {
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  const claims = JSON.parse(fromUtf8(fromBase64(payload.replace(/-/g, '+').replace(/_/g, '/')))) as Record<string, unknown>;
  edit(claims);
  return `${header}.${toBase64Url(utf8(JSON.stringify(claims)))}.${signature}`;
}
