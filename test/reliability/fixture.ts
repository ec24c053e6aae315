/**
 * The wallet every fuzzed message meets: created and unlocked, one site connected
 * (identity grant), one credential held, one trusted issuer; the same wallet locked;
 * and a wallet not yet created. Plus the material the generators mix into messages:
 * real ids (so some generated requests hit real records) and signed credentials and
 * request objects (so mutations start from something that verifies).
 */
import { createTestHolder, createTestIssuer, issueJwtVc, issueSdJwtVc, issueVcJose2, signJwt } from '../support/issuers.ts';
import { newWorld, routePageMessage, seedOf, sendPage, sendUi, type Seed, type World } from './harness.ts';

export const PASSWORD = 'correct horse battery staple';
export const CONNECTED_ORIGIN = 'https://connected.example';
export const STRANGER_ORIGIN = 'http://127.0.0.1:8080';

export interface Fixture {
  unlocked: Seed;
  locked: Seed;
  empty: Seed;
  /** The unlocked wallet with one approval waiting for the user, of each kind (its page request still open). */
  pending: { identity: Seed; offer: Seed; credentials: Seed };
  approvalIds: string[];
  /** The connected site's pairwise DID, its grant and the held credential's id. */
  connectedDid: string;
  grantId: string;
  credentialId: string;
  trustedIssuer: string;
  /** Credentials that verify for the connected site's DID, and ones that never will. */
  credentials: string[];
  /** Signed OpenID4VP request objects (some valid, some not), for `data.request`. */
  requestObjects: string[];
}

let built: Promise<Fixture> | null = null;

/** Built once per process (a wallet costs one PBKDF2 derivation at 600,000 iterations). */
export function fixture(): Promise<Fixture> {
  built ??= buildFixture();
  return built;
}

async function buildFixture(): Promise<Fixture> {
  const world = await newWorld();
  await expectOk(world, { command: 'createWallet', password: PASSWORD });
  world.presenter.mode = 'approve';
  const login = await sendPage(world, CONNECTED_ORIGIN, {
    channel: 'page',
    type: 'rpc',
    requestId: 'fixture-login-0000000001',
    request: { method: 'wallet_requestIdentity', params: { nonce: 'fixture-nonce-1' } },
  });
  if (!login.ok) throw new Error(`fixture login failed: ${JSON.stringify(login)}`);
  world.presenter.mode = 'reject';
  const connectedDid = (login.result as { did: string }).did;
  const grants = (await expectOk(world, { command: 'listGrants' })) as { id: string }[];
  const grantId = grants[0]?.id ?? '';

  const issuer = await createTestIssuer();
  const p256Issuer = await createTestIssuer({ keyType: 'P-256' });
  const stranger = await createTestHolder();
  const now = Math.floor(Date.now() / 1000);
  const jwtVc = await issueJwtVc(issuer, { subjectDid: connectedDid, claims: { given_name: 'Ada', age: 36 }, types: ['IdentityCredential'] });
  const imported = (await expectOk(world, { command: 'importCredential', credential: jwtVc })) as { id: string };
  await expectOk(world, { command: 'addTrustedIssuer', did: issuer.did, label: 'Fixture issuer' });

  const credentials = [
    jwtVc,
    await issueVcJose2(p256Issuer, { subjectDid: connectedDid, claims: { degree: 'BSc' }, types: ['DegreeCredential'] }),
    await issueSdJwtVc(issuer, {
      vct: 'https://example.com/pid',
      holderKid: connectedDid,
      claims: { given_name: 'Ada', address: { street: 'Main 1', city: 'Aldmere' }, nationalities: ['DE', 'FR'] },
      disclosable: ['given_name', 'address.street', 'nationalities.1'],
      decoys: 2,
    }),
    await issueJwtVc(issuer, { subjectDid: connectedDid, claims: { given_name: 'Old' }, exp: now - 3600 }),
    await issueJwtVc(issuer, { subjectDid: stranger.did, claims: { given_name: 'Eve' } }),
    await issueJwtVc(issuer, {
      subjectDid: connectedDid,
      claims: { given_name: 'Status' },
      status: [{ kind: 'bitstring', listUrl: 'https://status.example/list', index: 7, purpose: 'revocation' }],
    }),
  ];

  const verifier = await createTestIssuer();
  const dcql = { credentials: [{ id: 'pid', format: 'jwt_vc_json', meta: { type_values: [['IdentityCredential']] } }] };
  const requestPayload = {
    client_id: `decentralized_identifier:${verifier.did}`,
    response_type: 'vp_token',
    response_mode: 'dc_api',
    nonce: 'signed-nonce-123',
    dcql_query: dcql,
    expected_origins: [STRANGER_ORIGIN, CONNECTED_ORIGIN],
    iat: now,
    exp: now + 300,
  };
  const requestObjects = [
    await signJwt(verifier, requestPayload, { typ: 'oauth-authz-req+jwt' }),
    await signJwt(verifier, { ...requestPayload, exp: undefined }, { typ: 'oauth-authz-req+jwt' }),
    await signJwt(verifier, { ...requestPayload, exp: now - 10 }, { typ: 'oauth-authz-req+jwt' }),
    await signJwt(verifier, { ...requestPayload, expected_origins: ['https://elsewhere.example'] }, { typ: 'oauth-authz-req+jwt' }),
    await signJwt(verifier, requestPayload, { typ: 'JWT' }),
  ];

  const unlocked = await seedOf(world);
  const dcqlRequest = { response_type: 'vp_token', response_mode: 'dc_api', nonce: 'pending-nonce-1', dcql_query: dcql };
  const identity = await pendingSeed(unlocked, 'https://newcomer.example', { method: 'wallet_requestIdentity', params: { nonce: 'pending-nonce-2' } });
  const offer = await pendingSeed(unlocked, CONNECTED_ORIGIN, { method: 'wallet_offerCredential', params: { credential: credentials[1] } });
  const presentation = await pendingSeed(unlocked, STRANGER_ORIGIN, { method: 'wallet_requestCredentials', params: dcqlRequest });
  await expectOk(world, { command: 'lock' });
  const locked = await seedOf(world);
  const empty = await seedOf(await newWorld());
  return {
    unlocked,
    locked,
    empty,
    pending: { identity: identity.seed, offer: offer.seed, credentials: presentation.seed },
    approvalIds: [identity.approvalId, offer.approvalId, presentation.approvalId],
    connectedDid,
    grantId,
    credentialId: imported.id,
    trustedIssuer: issuer.did,
    credentials,
    requestObjects,
  };
}

/** A copy of `from` with the request's approval open and undecided (the page request is left waiting). */
async function pendingSeed(from: Seed, origin: string, request: Record<string, unknown>): Promise<{ seed: Seed; approvalId: string }> {
  const world = await newWorld(from);
  world.presenter.mode = 'hold';
  // Not awaited: it answers only once someone decides, which is what the fuzzed UI commands do.
  void routePageMessage(world.wallet, origin, { channel: 'page', type: 'rpc', requestId: crypto.randomUUID(), request });
  for (let i = 0; i < 200 && world.presenter.opened.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const approvalId = world.presenter.opened[0];
  if (!approvalId) throw new Error(`fixture: ${String(request.method)} opened no approval`);
  return { seed: await seedOf(world), approvalId };
}

async function expectOk(world: World, command: Record<string, unknown>): Promise<unknown> {
  const reply = await sendUi(world, command);
  if (!reply.ok) throw new Error(`fixture: ${String(command.command)} failed: ${JSON.stringify(reply.error)}`);
  return reply.value;
}
