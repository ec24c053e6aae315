/**
 * Generators of the messages each boundary receives: page envelopes with every
 * method's params, OpenID4VP / DC API `data`, and UI commands. Each is mostly
 * well-shaped-but-wrong (members missing, of the wrong type, one character off, too
 * big, too deep), mixed with real values from the fixture so some requests are valid
 * and reach an approval, and with arbitrary JSON.
 */
import fc from 'fast-check';
import { anyJson, anyString, fakeJwt, mutated, shaped, usually } from './arbitraries.ts';
import type { Fixture } from './fixture.ts';
import { PASSWORD } from './fixture.ts';

export const PAGE_METHODS = [
  'wallet_requestIdentity',
  'wallet_requestCredentials',
  'wallet_offerCredential',
  'wallet_requestDataAccess',
  'wallet_accessData',
  'wallet_getGrants',
  'wallet_revokeGrant',
  'tessera_digitalCredentialsGet',
] as const;

const nonce = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 8, maxLength: 64, unit: fc.constantFrom(...'abcXYZ019-_.~!') }) },
  { weight: 2, arbitrary: anyString },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 600 }).map((n) => 'n'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer().map((n) => n) },
);

const ids = (fx: Fixture) =>
  fc.oneof(
    fc.constantFrom(fx.grantId, fx.credentialId, 'AAAAAAAAAAAAAAAA', '__proto__'),
    fc.string({ minLength: 7, maxLength: 65, unit: fc.constantFrom(...'Aa0_-') }),
    mutated(fc.constantFrom(fx.grantId, fx.credentialId)),
    anyString,
  );

export const credentialText = (fx: Fixture): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...fx.credentials) },
    { weight: 4, arbitrary: mutated(fc.constantFrom(...fx.credentials)) },
    { weight: 2, arbitrary: fakeJwt },
    { weight: 1, arbitrary: anyString },
    { weight: 1, arbitrary: fc.constantFrom(...fx.credentials).map((c) => ` ${c}\n`) },
  );

const claimPath = fc.array(fc.oneof(fc.constantFrom('given_name', 'address', 'street', 'nationalities', 'age', 'degree', '__proto__'), fc.nat(3), fc.constant(null), anyString), { minLength: 1, maxLength: 4 });

const credentialQuery = shaped({
  id: fc.oneof(fc.constantFrom('pid', 'a', 'b-1', 'x_2'), anyString),
  format: fc.constantFrom('jwt_vc_json', 'dc+sd-jwt', 'vc+jwt', 'mso_mdoc', 'ldp_vc'),
  meta: fc.oneof(
    fc.constant({ type_values: [['IdentityCredential']] }),
    fc.constant({ type_values: [['DegreeCredential']] }),
    fc.constant({ vct_values: ['https://example.com/pid'] }),
    fc.constant({}),
  ),
  claims: fc.oneof(
    fc.array(shaped({ id: fc.constantFrom('c1', 'c2'), path: claimPath, values: fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean())) }), { maxLength: 4 }),
    fc.integer({ min: 100, max: 3000 }).map((n) => Array.from({ length: n }, (_, i) => ({ path: [`claim${i}`] }))),
  ),
  multiple: fc.boolean(),
  require_cryptographic_holder_binding: fc.boolean(),
  claim_sets: fc.array(fc.array(fc.constantFrom('c1', 'c2', 'c3')), { maxLength: 2 }),
});

const dcqlQuery = shaped({
  credentials: fc.oneof(
    { weight: 6, arbitrary: fc.array(credentialQuery, { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.integer({ min: 50, max: 2000 }).map((n) => Array.from({ length: n }, (_, i) => ({ id: `q${i}`, format: 'jwt_vc_json', meta: { type_values: [['IdentityCredential']] } }))) },
  ),
  credential_sets: fc.array(shaped({ options: fc.array(fc.array(fc.constantFrom('pid', 'a', 'q0'))), required: fc.boolean() }), { maxLength: 2 }),
});

const clientMetadata = shaped({
  client_name: anyString,
  logo_uri: fc.constantFrom('https://verifier.example/logo.png', 'javascript:alert(1)'),
  jwks: shaped({ keys: fc.array(shaped({ kty: fc.constantFrom('EC', 'OKP', 'RSA'), crv: fc.constantFrom('P-256', 'X25519'), alg: fc.constant('ECDH-ES'), use: fc.constant('enc'), x: anyString, y: anyString }), { maxLength: 2 }) }),
  encrypted_response_enc_values_supported: fc.array(fc.constantFrom('A128GCM', 'A256GCM', 'none')),
  vp_formats_supported: anyJson,
});

/** OpenID4VP `data` of a DC API request: unsigned parameters, or `{ request: <JWS> }`. */
export const dcApiData = (fx: Fixture): fc.Arbitrary<Record<string, unknown>> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: shaped({
        response_type: fc.constantFrom('vp_token', 'id_token', 'vp_token id_token'),
        response_mode: fc.constantFrom('dc_api', 'dc_api.jwt', 'direct_post'),
        nonce,
        dcql_query: dcqlQuery,
        client_metadata: clientMetadata,
      }),
    },
    {
      weight: 2,
      arbitrary: shaped({
        request: fc.oneof(
          { weight: 3, arbitrary: fc.constant(fx.requestObjects[0] ?? '') },
          { weight: 2, arbitrary: fc.constantFrom(...fx.requestObjects) },
          { weight: 2, arbitrary: mutated(fc.constantFrom(...fx.requestObjects)) },
          { weight: 2, arbitrary: fakeJwt },
        ),
        client_id: fc.constantFrom('decentralized_identifier:did:key:z6Mk', 'x509_san_dns:verifier.example'),
      }),
    },
    { weight: 1, arbitrary: fc.dictionary(anyString, anyJson, { maxKeys: 4 }) },
  );

export const dcApiProtocol = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('openid4vp-v1-unsigned', 'openid4vp-v1-signed') },
  { weight: 1, arbitrary: fc.constantFrom('openid4vp', 'org-iso-mdoc', 'openid4vp-v1-multisigned', '__proto__') },
  { weight: 1, arbitrary: anyString },
);

function methodParams(fx: Fixture): Record<(typeof PAGE_METHODS)[number], fc.Arbitrary<unknown>> {
  return {
    wallet_requestIdentity: shaped({ nonce }),
    wallet_requestCredentials: dcApiData(fx),
    wallet_offerCredential: shaped({ credential: credentialText(fx) }),
    wallet_requestDataAccess: anyJson,
    wallet_accessData: anyJson,
    wallet_getGrants: fc.oneof(fc.constantFrom(undefined, null, [], {}), anyJson),
    wallet_revokeGrant: shaped({ grantId: ids(fx) }),
    tessera_digitalCredentialsGet: shaped({ protocol: dcApiProtocol, data: dcApiData(fx) }),
  };
}

/** `{ method, params }`, mostly for a method the wallet serves. */
export function rpcRequest(fx: Fixture): fc.Arbitrary<unknown> {
  const params = methodParams(fx);
  const known = fc.constantFrom(...PAGE_METHODS).chain((method) =>
    fc.oneof(
      { weight: 9, arbitrary: params[method].map((p) => ({ method, params: p })) },
      { weight: 1, arbitrary: fc.constant({ method }) },
    ),
  );
  const unknown = fc.record({ method: fc.oneof(anyString, fc.constantFrom('eth_requestAccounts', '__proto__', 'constructor', 'hasOwnProperty')), params: anyJson });
  return fc.oneof({ weight: 12, arbitrary: known }, { weight: 1, arbitrary: unknown }, { weight: 1, arbitrary: usually(shaped({ method: fc.constantFrom(...PAGE_METHODS), params: anyJson })) });
}

/** What the content script forwards: `{ channel, type, requestId, request }`, or junk. */
export function pageMessage(fx: Fixture): fc.Arbitrary<unknown> {
  const requestId = fc.oneof({ weight: 9, arbitrary: fc.uuid() }, { weight: 1, arbitrary: anyString }, { weight: 1, arbitrary: fc.constant('fixture-login-0000000001') });
  return fc.oneof(
    { weight: 12, arbitrary: fc.record({ channel: fc.constant('page'), type: fc.constant('rpc'), requestId, request: rpcRequest(fx) }) },
    { weight: 1, arbitrary: fc.record({ channel: fc.constant('page'), type: fc.constant('await'), requestId }) },
    { weight: 1, arbitrary: shaped({ channel: fc.constantFrom('page', 'ui'), type: fc.constantFrom('rpc', 'await'), requestId, request: rpcRequest(fx) }) },
    { weight: 1, arbitrary: anyJson },
  );
}

/** A UI command body. Password commands are rare: each well-formed one costs a 600,000-round PBKDF2. */
export function uiCommand(fx: Fixture): fc.Arbitrary<unknown> {
  const id = ids(fx);
  const approvalId = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fx.approvalIds) }, { weight: 1, arbitrary: id });
  const credentialId = fc.oneof({ weight: 3, arbitrary: fc.constant(fx.credentialId) }, { weight: 1, arbitrary: id });
  const did = fc.oneof(fc.constantFrom(fx.trustedIssuer, fx.connectedDid, 'did:key:z6Mk', 'did:web:example.com'), mutated(fc.constantFrom(fx.trustedIssuer)), anyString);
  const password = fc.oneof({ weight: 1, arbitrary: fc.constantFrom(PASSWORD, 'wrong password!') }, { weight: 30, arbitrary: fc.oneof(fc.constant(''), fc.integer(), fc.constant('x'.repeat(1025)), anyJson) });
  const selection = shaped({
    queries: fc.dictionary(fc.constantFrom('pid', 'pid', 'a', '__proto__'), shaped({ credentialId, claims: fc.array(claimPath, { maxLength: 3 }) }), { maxKeys: 2 }),
    acceptUnknownStatus: fc.boolean(),
  });
  const bodies = [
    fc.constant({ command: 'getState' }),
    fc.constant({ command: 'lock' }),
    fc.constant({ command: 'listGrants' }),
    fc.constant({ command: 'listCredentials' }),
    fc.constant({ command: 'listTrustedIssuers' }),
    shaped({ command: fc.constant('createWallet'), password }),
    shaped({ command: fc.constant('unlock'), password }),
    shaped({ command: fc.constant('changePassword'), currentPassword: password, newPassword: password }),
    shaped({ command: fc.constant('setAutoLock'), minutes: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double(), fc.constant('15')) }),
    shaped({ command: fc.constant('getApproval'), approvalId }),
    shaped({ command: fc.constant('resolveApproval'), approvalId, decision: fc.constantFrom('approve', 'approve', 'reject', 'maybe'), selection }),
    shaped({ command: fc.constant('resolveApproval'), approvalId, decision: fc.constant('approve'), selection }),
    shaped({ command: fc.constant('revokeGrant'), grantId: id }),
    shaped({ command: fc.constant('getCredential'), credentialId: id }),
    shaped({ command: fc.constant('deleteCredential'), credentialId: id }),
    shaped({ command: fc.constant('importCredential'), credential: credentialText(fx) }),
    shaped({ command: fc.constant('refreshCredentialStatus'), credentialId: id }),
    shaped({ command: fc.constant('addTrustedIssuer'), did, label: fc.oneof(fc.string({ maxLength: 90 }), anyString) }),
    shaped({ command: fc.constant('removeTrustedIssuer'), did }),
  ];
  return fc.oneof({ weight: 20, arbitrary: fc.oneof(...bodies) }, { weight: 1, arbitrary: shaped({ command: anyString }) }, { weight: 1, arbitrary: anyJson });
}
