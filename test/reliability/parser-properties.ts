/**
 * The properties of the parsers that read what others sign: OpenID4VP DC API data,
 * credentials and status lists. Each call settles (within the timeout) with a result
 * or with the parser's own refusal (ProtocolError, CredentialError, StatusListError),
 * never with anything else; and a change to the signed part of something that
 * verified is refused.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { verifyCredential, type CredentialDeps } from '../../src/core/credentials/verify-credential.ts';
import { CredentialError } from '../../src/core/credentials/errors.ts';
import { fakeHolderKeys } from '../support/issuers.ts';
import { createDidResolver } from '../../src/core/identity/did-resolvers.ts';
import { parseDcApiRequest, ProtocolError } from '../../src/core/presentation/openid4vp-request.ts';
import { STRANGER_ORIGIN, fixture } from './fixture.ts';
import { takeUnhandled, watchUnhandledRejections, withinTimeout, type Boundary } from './harness.ts';
import { anyJson, anyString, fakeJwt, mutated } from './arbitraries.ts';
import { credentialText, dcApiData, dcApiProtocol } from './messages.ts';
import { fail } from './wallet-properties.ts';

/** Runs `call`; a throw must be an instance of `allowed`. Returns the result, or null when refused. */
export async function settlesWith<T>(call: () => Promise<T>, allowed: abstract new (...args: never[]) => Error, what: string): Promise<T | null> {
  try {
    return await withinTimeout(call(), what);
  } catch (error) {
    if (!(error instanceof allowed)) {
      fail(`${what} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} instead of ${allowed.name}`, String(error instanceof Error ? error.stack : error));
    }
    return null;
  } finally {
    const unhandled = takeUnhandled();
    if (unhandled.length > 0) fail(`${what}: unhandled rejection`, unhandled.map(String));
  }
}

export async function dcApiBoundary(): Promise<Boundary<[string, unknown]>> {
  const fx = await fixture();
  watchUnhandledRejections();
  const resolver = createDidResolver();
  const data = fc.oneof({ weight: 8, arbitrary: dcApiData(fx) }, { weight: 1, arbitrary: anyJson });
  return {
    name: 'DC API data',
    input: fc.tuple(dcApiProtocol, data),
    check: async ([protocol, body]) => {
      const parsed = await settlesWith(() => parseDcApiRequest({ protocol, data: body, origin: STRANGER_ORIGIN }, { resolver, now: Date.now() }), ProtocolError, 'parseDcApiRequest');
      return parsed ? 'parsed' : 'invalid_request';
    },
  };
}

/** The JWT payload re-encoded with one member replaced, added or removed; the signature kept. */
function payloadEdited(raw: string): fc.Arbitrary<string> {
  const [jwt = '', ...rest] = raw.split('~');
  const [header, payload = '', signature] = jwt.split('.');
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const keys = Object.keys(decoded);
  const edit = fc.tuple(fc.oneof(fc.constantFrom(...keys), fc.constantFrom('iss', 'sub', 'exp', 'nbf', 'cnf', 'vc', 'given_name', '_sd')), fc.option(anyJson, { nil: undefined }));
  return edit.map(([key, value]) => {
    const copy: Record<string, unknown> = { ...decoded };
    if (value === undefined) delete copy[key];
    else copy[key] = value;
    return [`${header}.${Buffer.from(JSON.stringify(copy)).toString('base64url')}.${signature}`, ...rest].join('~');
  });
}

async function credentialDeps(): Promise<CredentialDeps> {
  const fx = await fixture();
  return {
    resolver: createDidResolver(),
    holderKeys: fakeHolderKeys([{ binding: { did: fx.connectedDid, kid: `${fx.connectedDid}#key`, keyRef: 'fixture' } }]),
    now: Date.now(),
  };
}

/** Any text offered as a credential is accepted or refused with a CredentialError. */
export async function credentialBoundary(): Promise<Boundary<string>> {
  const fx = await fixture();
  watchUnhandledRejections();
  const deps = await credentialDeps();
  return {
    name: 'credentials',
    input: fc.oneof(credentialText(fx), fakeJwt, anyString),
    check: async (raw) => {
      const verified = await settlesWith(() => verifyCredential(raw, deps), CredentialError, 'verifyCredential');
      return verified ? 'accepted' : 'refused';
    },
  };
}

/**
 * One to three edits of a credential that verifies: an edit inside the issuer-signed
 * JWT is always refused; an edit among SD-JWT disclosures may only remove claims.
 */
export async function signedCredentialBoundary(): Promise<Boundary<[string, string]>> {
  const fx = await fixture();
  watchUnhandledRejections();
  const deps = await credentialDeps();
  const originals = new Map<string, Awaited<ReturnType<typeof verifyCredential>>>();
  for (const raw of fx.credentials) {
    const verified = await verifyCredential(raw, deps).catch(() => null);
    if (verified) originals.set(raw, verified);
  }
  if (originals.size < 3) throw new Error(`only ${originals.size} fixture credentials verify`);
  const source = fc.constantFrom(...originals.keys());
  const input = source.chain((raw) => fc.tuple(fc.constant(raw), fc.oneof(mutated(fc.constant(raw)), payloadEdited(raw))));
  return { name: 'signed credentials, edited', input, check: async ([raw, edited]) => {
    if (edited === raw) return;
    const result = await settlesWith(() => verifyCredential(edited, deps), CredentialError, 'verifyCredential');
    if (!result) return;
    const jwtEnd = raw.indexOf('~') === -1 ? raw.length : raw.indexOf('~');
    const firstDiff = [...edited].findIndex((c, i) => c !== raw[i]);
    const signedPartChanged = firstDiff !== -1 && firstDiff < raw.lastIndexOf('.', jwtEnd);
    if (signedPartChanged) fail('an edit inside the signed JWT was accepted', { raw, edited });
    const original = originals.get(raw);
    const known = new Set(original?.claims.map((c) => JSON.stringify(c)));
    const added = result.claims.filter((c) => !known.has(JSON.stringify(c)));
    if (added.length > 0 || result.issuer !== original?.issuer || !isDeepStrictEqual(result.types, original.types)) {
      fail('an edited credential verified with claims the issuer never signed', { edited, added });
    }
  } };
}
