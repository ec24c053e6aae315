/**
 * Status list parsers under fuzzing: W3C Bitstring Status List credentials (VC-JWT,
 * vc+jwt, enveloped), IETF Status List Tokens, and the raw list decoders and index
 * readers. Any body settles with a list or a StatusListError; an edit of the signed
 * part of a list that verified is refused; a compression bomb is refused.
 */
import fc from 'fast-check';
import { bitAt, decodeEncodedList, parseBitstringStatusListCredential } from '../../src/core/credentials/status/bitstring.ts';
import { StatusListError } from '../../src/core/credentials/status/status-list-error.ts';
import { decodeStatusListBytes, parseTokenStatusListJwt, statusValueAt } from '../../src/core/credentials/status/token-status-list.ts';
import {
  bitstringWith,
  compress,
  encodeBitstring,
  encodeLst,
  makeIssuer,
  packStatuses,
  resolver,
  signStatusListToken,
  signVcJwt11,
  signVcJwt2,
} from '../support/status-lists.ts';
import { toBase64Url } from '../../src/core/encoding.ts';
import { anyJson, anyString, b64uJson, fakeJwt, mutated, shaped } from './arbitraries.ts';
import { watchUnhandledRejections, type Boundary } from './harness.ts';
import { settlesWith } from './parser-properties.ts';
import { fail } from './wallet-properties.ts';

const LIST_URL = 'https://status.example/lists/1';

interface StatusPool {
  issuer: string;
  bitstringLists: string[];
  tokenLists: string[];
  encodedLists: string[];
  lsts: string[];
  /** Signed lists whose list expands past the cap (kept out of the fuzz pools: each costs 16 MiB). */
  bitstringBomb: string;
  tokenBomb: string;
}

let pool: Promise<StatusPool> | null = null;

function statusPool(): Promise<StatusPool> {
  pool ??= (async () => {
    const signer = await makeIssuer();
    const encodedList = await encodeBitstring(bitstringWith([3, 99]));
    // 32 MiB of zeros: a few KiB compressed, over the 16 MiB expansion cap.
    const bomb = new Uint8Array(32 * 1024 * 1024);
    const gzipBomb = `u${toBase64Url(await compress(bomb, 'gzip'))}`;
    const zlibBomb = toBase64Url(await compress(bomb, 'deflate'));
    const lst = await encodeLst(packStatuses([0, 1, 2, 0, 1], 2));
    const vc2 = await signVcJwt2(signer, LIST_URL, { encodedList });
    return {
      issuer: signer.did,
      bitstringLists: [
        vc2,
        await signVcJwt11(signer, LIST_URL, { encodedList, ttl: 60_000 }),
        JSON.stringify({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${vc2}` }),
      ],
      tokenLists: [await signStatusListToken(signer, LIST_URL, { bits: 2, lst, exp: Math.floor(Date.now() / 1000) + 3600 })],
      encodedLists: [encodedList],
      lsts: [lst],
      bitstringBomb: await signVcJwt2(signer, LIST_URL, { encodedList: gzipBomb }),
      tokenBomb: await signStatusListToken(signer, LIST_URL, { bits: 2, lst: zlibBomb }),
    };
  })();
  return pool;
}

/** A JWT shaped like a status list (either kind), every member possibly wrong, signed by nobody. */
const listLikeJwt = (issuer: string) =>
  fc
    .tuple(
      shaped({ alg: fc.constantFrom('EdDSA', 'ES256', 'none'), typ: fc.constantFrom('statuslist+jwt', 'statuslist+jwt', 'vc+jwt', 'JWT'), kid: fc.constant(`${issuer}#key`) }),
      shaped({
        sub: fc.constant(LIST_URL),
        iss: fc.constant(issuer),
        issuer: fc.constant(issuer),
        id: fc.constant(LIST_URL),
        jti: fc.constant(LIST_URL),
        iat: fc.integer(),
        exp: fc.integer(),
        ttl: fc.integer(),
        type: fc.constant(['VerifiableCredential', 'BitstringStatusListCredential']),
        status_list: shaped({ bits: fc.constantFrom(1, 2, 4, 8, 3), lst: anyString }),
        credentialSubject: shaped({ type: fc.constant('BitstringStatusList'), statusPurpose: fc.constantFrom('revocation', 'suspension'), encodedList: anyString, ttl: fc.integer() }),
      }),
    )
    .map(([header, payload]) => `${b64uJson(header)}.${b64uJson(payload)}.c2ln`);

const body = (known: string[], issuer: string) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...known) },
    { weight: 4, arbitrary: listLikeJwt(issuer) },
    { weight: 4, arbitrary: mutated(fc.constantFrom(...known)) },
    { weight: 2, arbitrary: fakeJwt },
    { weight: 1, arbitrary: anyJson.map((v) => JSON.stringify(v) ?? '') },
    { weight: 1, arbitrary: anyString },
  );

/** Any fetched body, parsed as either kind of list, with the raw decoders and index readers. */
export async function statusListBoundary(): Promise<Boundary<[string, string, number]>> {
  const p = await statusPool();
  watchUnhandledRejections();
  const index = fc.oneof(fc.integer({ min: -2, max: 200_000 }), fc.constantFrom(Number.NaN, 2 ** 53, 1.5, -0));
  const input = fc.tuple(body([...p.bitstringLists, ...p.tokenLists], p.issuer), body([...p.encodedLists, ...p.lsts], p.issuer), index);
  return { name: 'status lists', input, check: async ([text, list, at]) => {
    const now = Date.now();
    const bitstring = await settlesWith(() => parseBitstringStatusListCredential(text, { issuer: p.issuer, resolver, now, listUrl: LIST_URL, purpose: 'revocation' }), StatusListError, 'parseBitstringStatusListCredential');
    const token = await settlesWith(() => parseTokenStatusListJwt(text, { issuer: p.issuer, listUrl: LIST_URL, resolver, now }), StatusListError, 'parseTokenStatusListJwt');
    const bits = await settlesWith(() => decodeEncodedList(list), StatusListError, 'decodeEncodedList');
    const bytes = await settlesWith(() => decodeStatusListBytes(list), StatusListError, 'decodeStatusListBytes');
    const bitSource = bits ?? bitstring?.bitstring;
    if (bitSource) await settlesWith(async () => bitAt(bitSource, at), StatusListError, 'bitAt');
    const statusSource = bytes ?? token?.bytes;
    if (statusSource) await settlesWith(async () => statusValueAt(statusSource, token?.bits ?? 2, at), StatusListError, 'statusValueAt');
  } };
}

/** An edit inside the signed JWT of a list that verified is refused. */
export async function signedStatusBoundary(): Promise<Boundary<[string, string]>> {
  const p = await statusPool();
  watchUnhandledRejections();
  const signed = [...p.bitstringLists.slice(0, 2), ...p.tokenLists];
  const input = fc.constantFrom(...signed).chain((raw) => fc.tuple(fc.constant(raw), mutated(fc.constant(raw))));
  return { name: 'signed status lists, edited', input, check: async ([raw, edited]) => {
    const signatureDot = raw.lastIndexOf('.');
    const firstDiff = [...edited].findIndex((c, i) => c !== raw[i]);
    if (edited === raw || firstDiff === -1 || firstDiff >= signatureDot) return;
    const now = Date.now();
    const parsed =
      p.tokenLists.includes(raw)
        ? await settlesWith(() => parseTokenStatusListJwt(edited, { issuer: p.issuer, listUrl: LIST_URL, resolver, now }), StatusListError, 'parseTokenStatusListJwt')
        : await settlesWith(() => parseBitstringStatusListCredential(edited, { issuer: p.issuer, resolver, now, listUrl: LIST_URL }), StatusListError, 'parseBitstringStatusListCredential');
    if (parsed) fail('an edit inside a signed status list was accepted', { raw, edited });
  } };
}

/** The bombs in the pool are refused (the property runs would not notice if they were not). */
export async function compressionBombsRefused(): Promise<void> {
  const p = await statusPool();
  const now = Date.now();
  const { bitstringBomb, tokenBomb } = p;
  if (await settlesWith(() => parseBitstringStatusListCredential(bitstringBomb, { issuer: p.issuer, resolver, now, listUrl: LIST_URL }), StatusListError, 'bitstring bomb')) fail('a GZIP bomb was expanded', null);
  if (await settlesWith(() => parseTokenStatusListJwt(tokenBomb, { issuer: p.issuer, listUrl: LIST_URL, resolver, now }), StatusListError, 'token bomb')) fail('a ZLIB bomb was expanded', null);
}
