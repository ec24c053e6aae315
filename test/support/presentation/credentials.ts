/**
 * Real issuer-signed credentials for tests — a JWT VC made with did-jwt-vc and an
 * SD-JWT VC made with @sd-jwt/sd-jwt-vc — wrapped in hand-built CredentialRecords.
 */
import { ES256, digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { createVerifiableCredentialJwt } from 'did-jwt-vc';
import type { ClaimEntry, CredentialRecord, CredentialStatusState, HolderBinding } from '../../../src/core/credentials/types.ts';
import { isPlainObject, type ClaimPath } from '../../../src/core/presentation/claim-path.ts';
import type { TestDidKey } from './keys.ts';

let counter = 0;

export interface RecordOptions {
  id?: string;
  state?: CredentialStatusState;
  validUntil?: string | null;
}

function record(
  base: Omit<CredentialRecord, 'id' | 'receivedAt' | 'receivedFrom' | 'statusResult' | 'issuedAt' | 'validFrom' | 'validUntil' | 'status'>,
  options: RecordOptions,
): CredentialRecord {
  return {
    ...base,
    id: options.id ?? `cred-${++counter}`,
    issuedAt: null,
    validFrom: null,
    validUntil: options.validUntil ?? null,
    status: [],
    receivedAt: new Date(0).toISOString(),
    receivedFrom: 'import',
    statusResult: { state: options.state ?? 'valid', checkedAt: null, reason: null, nextCheckAt: null },
  };
}

/** Every leaf claim of a JSON value with its path (arrays of primitives are leaves per element). */
export function flattenClaims(value: unknown, disclosable: (path: ClaimPath) => boolean, prefix: ClaimPath = []): ClaimEntry[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => flattenClaims(item, disclosable, [...prefix, i]));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([key, item]) => flattenClaims(item, disclosable, [...prefix, key]));
  return [{ path: prefix, value, disclosable: disclosable(prefix) }];
}

export interface JwtVcOptions extends RecordOptions {
  issuer: TestDidKey;
  holder: TestDidKey;
  types: string[];
  subject: Record<string, unknown>;
}

/** A JWT VC (VCDM 1.1) issued by a did:key to the holder's did:key (`sub`). */
export async function issueJwtVcRecord(options: JwtVcOptions): Promise<CredentialRecord> {
  const vc = {
    '@context': ['https://www.w3.org/2018/credentials/v1'],
    type: ['VerifiableCredential', ...options.types],
    credentialSubject: { ...options.subject },
  };
  const raw = await createVerifiableCredentialJwt(
    { sub: options.holder.did, nbf: Math.floor(Date.now() / 1000) - 60, vc },
    { did: options.issuer.did, signer: options.issuer.didJwtSigner, alg: 'EdDSA' },
  );
  return jwtVcRecordFor(raw, options, vc);
}

/** A JWT VC record without signing (for the many-credentials benchmark). */
export function jwtVcRecordFor(
  raw: string,
  options: { issuer: { did: string }; holder: { binding: HolderBinding }; types: string[] } & RecordOptions,
  vc: { type: string[]; credentialSubject: Record<string, unknown>; [key: string]: unknown },
): CredentialRecord {
  const document = { ...vc, issuer: options.issuer.did, credentialSubject: { id: options.holder.binding.did, ...vc.credentialSubject } };
  return record(
    {
      format: 'jwt_vc_json',
      raw,
      issuer: options.issuer.did,
      types: vc.type,
      vct: null,
      document,
      claims: flattenClaims(document.credentialSubject, () => false, ['credentialSubject']),
      holder: options.holder.binding,
    },
    options,
  );
}

export interface SdJwtIssuer {
  instance: SDJwtVcInstance;
  publicJwk: JsonWebKey;
  iss: string;
}

/** An ES256 SD-JWT VC issuer (crypto-nodejs), also able to verify presentations with key binding. */
export async function createSdJwtIssuer(iss = 'https://issuer.example'): Promise<SdJwtIssuer> {
  const { publicKey, privateKey } = await ES256.generateKeyPair();
  const instance = new SDJwtVcInstance({
    signer: await ES256.getSigner(privateKey),
    signAlg: ES256.alg,
    verifier: await ES256.getVerifier(publicKey),
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
    kbVerifier: verifyKbWithCnf,
  });
  return { instance, publicJwk: publicKey as JsonWebKey, iss };
}

/** The KB-JWT must be signed by the key in the credential's `cnf.jwk` (EdDSA). */
async function verifyKbWithCnf(data: string, signature: string, payload: Record<string, unknown>): Promise<boolean> {
  const cnf = payload.cnf as { jwk?: JsonWebKey } | undefined;
  if (!cnf?.jwk) return false;
  const key = await crypto.subtle.importKey('jwk', cnf.jwk, { name: 'Ed25519' }, false, ['verify']);
  const sig = Uint8Array.from(atob(signature.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  return crypto.subtle.verify('Ed25519', key, sig, new TextEncoder().encode(data));
}

export interface SdJwtVcOptions extends RecordOptions {
  issuer: SdJwtIssuer;
  holder: TestDidKey;
  vct: string;
  claims: Record<string, unknown>;
  /** @sd-jwt's DisclosureFrame: `{ _sd: [keys or indexes], child: { _sd: [...] } }`. */
  disclosureFrame: Record<string, unknown>;
  /** Leaf paths that are selectively disclosable (for the record's ClaimEntry flags). */
  disclosable: (path: ClaimPath) => boolean;
}

/** An SD-JWT VC bound to the holder key by `cnf.jwk`. */
export async function issueSdJwtVcRecord(options: SdJwtVcOptions): Promise<CredentialRecord> {
  const iat = Math.floor(Date.now() / 1000);
  const payload = { iss: options.issuer.iss, vct: options.vct, iat, cnf: { jwk: options.holder.publicJwk }, ...options.claims };
  const raw = await options.issuer.instance.issue(payload, options.disclosureFrame as never);
  const { iss: _iss, vct: _vct, iat: _iat, cnf: _cnf, ...claims } = payload;
  return record(
    {
      format: 'dc+sd-jwt',
      raw,
      issuer: options.issuer.iss,
      types: [options.vct],
      vct: options.vct,
      document: payload,
      claims: flattenClaims(claims, options.disclosable),
      holder: options.holder.binding,
    },
    options,
  );
}
