/**
 * The credentials part of `npm run bench`, measured in Node (no browser), each against
 * a baseline run in the same process:
 *   f) verifying a JWT VC: Tessera's verifyCredential vs did-jwt-vc's verifyCredential
 *      on the same JWT with the same resolver (median per call, alternating order)
 *   g) save and list at 1,000 and 10,000 held credentials: CredentialRepository (pages
 *      of records, each sealed with EncryptedCollection) over the IndexedDB adapter
 *      (fake-indexeddb) vs Veramo's DataStoreJson whose notifyUpdate persists the whole
 *      tree as JSON (goals at 10,000: ≥ 10× faster per save, first list ≤ 1.2× Veramo's)
 *   h) DCQL matching over 1,000 and 10,000 held credentials (SD-JWT VC and JWT VC mixed,
 *      a few matching): matchDcql vs a plain hand-written filter (goal: ≤ 50 ms at 10,000)
 * Rows are in µs (the table shows ms from 1,000 µs on); raw samples go to the JSON.
 */
import type { WriteOp } from '../../src/core/ports.ts';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataStoreJson, type VeramoJsonStore } from '@veramo/data-store-json';
import { normalizeCredential, verifyCredential as didJwtVcVerifyCredential } from 'did-jwt-vc';
import { IDBFactory } from 'fake-indexeddb';
import { IndexedDbKeyValueStore } from '../../src/background/adapters/indexeddb-store.ts';
import { PAGE_CAPACITY } from '../../src/core/credentials/credential-index.ts';
import { encodePage } from '../../src/core/credentials/credential-page-codec.ts';
import { DIRECTORY_ID, pageId, type CredentialEntry } from '../../src/core/credentials/credential-pages.ts';
import { CredentialRepository } from '../../src/core/credentials/credential-repository.ts';
import {
  createTestHolder,
  createTestIssuer,
  fakeHolderKeys,
  issueJwtVc,
  issueSdJwtVc,
  testResolver,
  withEditedPayload,
  type TestHolder,
  type TestIssuer,
} from '../../test/support/issuers.ts';
import type { CredentialRecord, VerifiedCredential } from '../../src/core/credentials/types.ts';
import { verifyCredential } from '../../src/core/credentials/verify-credential.ts';
import { randomBytes, randomId } from '../../src/core/encoding.ts';
import { matchDcql } from '../../src/core/presentation/dcql-match.ts';
import { parseDcqlQuery } from '../../src/core/presentation/dcql-query.ts';
import { EncryptedCollection } from '../../src/core/storage/encrypted-collection.ts';
import { deriveVaultKeys } from '../../src/core/vault/vault-keys.ts';
import { makeRow, type Row } from './report.ts';

export interface CredentialsBenchOptions {
  /** Timed verifications per implementation (≥ 200), after `verifyWarmup` each. */
  verifyRuns: number;
  verifyWarmup: number;
  /** Held-credential counts for the store and DCQL parts. */
  sizes: number[];
  /** Timed saves per store and size, after `saveWarmup` each. */
  saves: number;
  saveWarmup: number;
  /** Timed DCQL matches (and baseline filters) per size, after `dcqlWarmup` each. */
  dcqlRuns: number;
  dcqlWarmup: number;
}

export const DEFAULT_CREDENTIALS_OPTIONS: CredentialsBenchOptions = {
  verifyRuns: 200,
  verifyWarmup: 20,
  sizes: [1_000, 10_000],
  saves: 50,
  saveWarmup: 3,
  dcqlRuns: 20,
  dcqlWarmup: 3,
};

export const SAVE_MIN_SPEEDUP_AT_10K = 10;
export const DCQL_MAX_MS_AT_10K = 50;
/** The first list after unlock (decrypt everything) against Veramo's list of its live JSON store. */
export const LIST_COLD_MAX_RATIO_AT_10K = 1.2;
const GOAL_SIZE = 10_000;

/** Full lists per size: fewer at 10,000 (each cold one decrypts everything). */
const listRunsFor = (size: number) => (size >= 10_000 ? { cold: 5, warm: 10 } : { cold: 5, warm: 20 });

export interface CredentialsBenchResult {
  rows: Row[];
  durationMs: number;
  method: Record<string, string>;
  goals: { saveMinSpeedupAt10k: number; listColdMaxRatioAt10k: number; dcqlMaxMsAt10k: number };
  /** Every timed sample, in µs. */
  raw: {
    verify: { tessera: number[]; baseline: number[] };
    store: Record<string, StoreSamples>;
    dcql: Record<string, { tessera: number[]; baseline: number[]; candidates: Record<string, number>; baselineCandidates: Record<string, number> }>;
  };
  notes: string[];
}

interface StoreSamples {
  tesseraSave: number[];
  veramoSave: number[];
  tesseraListCold: number[];
  tesseraListWarm: number[];
  veramoList: number[];
  /** Veramo reloaded from its persisted JSON (JSON.parse + new DataStoreJson) and listed. */
  veramoListReload: number[];
  prefillMs: { tessera: number; veramo: number };
  veramoPersistedBytes: number;
}

type Log = (message: string) => void;

const us = (ms: number) => ms * 1000;
const fmtN = (n: number) => n.toLocaleString('en-US');

async function timeUs(fn: () => unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return us(performance.now() - started);
}

interface Fixture {
  issuer: TestIssuer;
  sdIssuer: TestIssuer;
  holder: TestHolder;
  deps: Parameters<typeof verifyCredential>[1];
  /** The JWT VC timed in (f) and stored in (g). */
  degreeJwt: string;
  templates: Record<TemplateName, VerifiedCredential>;
}

type TemplateName =
  | 'degree'
  | 'degreeNoName'
  | 'libraryCard'
  | 'employeeBadge'
  | 'vaccination'
  | 'pid'
  | 'pidNoAddress'
  | 'loyalty'
  | 'ticket';

const PID_VCT = 'urn:eudi:pid:1';
const YEAR_S = 365 * 24 * 3600;

/** Real issuer-signed credentials (did-jwt-vc / @sd-jwt), each verified once by Tessera. */
async function buildFixture(now: number): Promise<Fixture> {
  const issuer = await createTestIssuer();
  const sdIssuer = await createTestIssuer({ keyType: 'P-256' });
  const holder = await createTestHolder();
  const deps = { resolver: testResolver(), holderKeys: fakeHolderKeys([holder]), now };
  const exp = Math.floor(now / 1000) + YEAR_S;
  const jwtVc = (types: string[], claims: Record<string, unknown>) =>
    issueJwtVc(issuer, { subjectDid: holder.did, types, claims, exp, jti: `urn:uuid:${randomUUID()}` });
  const sdJwtVc = (vct: string, claims: Record<string, unknown>, disclosable: string[]) =>
    issueSdJwtVc(sdIssuer, { vct, holderJwk: holder.publicJwk, claims, disclosable, exp, decoys: 2 });
  const person = { given_name: 'Ada', family_name: 'Lovelace' };
  const address = { street_address: '12 St James Square', locality: 'London', postal_code: 'SW1Y 4JH', country: 'GB' };
  const pidClaims = { ...person, birthdate: '1815-12-10', nationalities: ['GB'], age_equal_or_over: { '18': true, '21': true } };
  const pidDisclosable = ['given_name', 'family_name', 'birthdate', 'nationalities', 'age_equal_or_over.18', 'age_equal_or_over.21'];

  const degreeJwt = await jwtVc(['UniversityDegreeCredential'], {
    ...person,
    degree: { type: 'BachelorDegree', name: 'Bachelor of Science and Arts' },
  });
  const raws: Record<TemplateName, string> = {
    degree: degreeJwt,
    degreeNoName: await jwtVc(['UniversityDegreeCredential'], { ...person, degree: { type: 'BachelorDegree' } }),
    libraryCard: await jwtVc(['LibraryCard'], { ...person, card_number: 'LC-000123', branch: 'Central' }),
    employeeBadge: await jwtVc(['EmployeeBadge'], { ...person, employer: 'Analytical Engines Ltd', role: 'Engineer' }),
    vaccination: await jwtVc(['VaccinationCertificate'], { ...person, vaccine: 'MMR', date: '2024-03-01' }),
    pid: await sdJwtVc(PID_VCT, { ...pidClaims, address }, [
      ...pidDisclosable,
      'address.street_address',
      'address.locality',
      'address.postal_code',
      'address.country',
    ]),
    pidNoAddress: await sdJwtVc(PID_VCT, pidClaims, pidDisclosable),
    loyalty: await sdJwtVc('https://credentials.example.com/loyalty', { ...person, member_id: 'M-88412', tier: 'gold', points: 1200 }, [
      'given_name',
      'family_name',
      'points',
    ]),
    ticket: await sdJwtVc('urn:example:ticket', { event: 'Difference Engine Expo', seat: 'B12', date: '2027-05-01' }, ['seat']),
  };
  const templates = {} as Record<TemplateName, VerifiedCredential>;
  for (const [name, raw] of Object.entries(raws) as [TemplateName, string][]) templates[name] = await verifyCredential(raw, deps);
  return { issuer, sdIssuer, holder, deps, degreeJwt, templates };
}

/** A stored record as the wallet makes it ({...verified, id, receivedAt, receivedFrom, statusResult}). */
function recordFrom(verified: VerifiedCredential, index: number, overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  const checkedAt = new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString();
  return {
    ...verified,
    document: structuredClone(verified.document),
    claims: structuredClone(verified.claims),
    id: randomId(),
    receivedAt: checkedAt,
    receivedFrom: index % 3 === 0 ? 'import' : 'https://issuer.example',
    statusResult: { state: 'valid', checkedAt, reason: null, nextCheckAt: null },
    ...overrides,
  };
}

// ── (f) verification ─────────────────────────────────────────────────────────────

async function verifyPart(fixture: Fixture, options: CredentialsBenchOptions, log: Log) {
  const { degreeJwt: jwt, deps } = fixture;
  const ours = async () => {
    const verified = await verifyCredential(jwt, deps);
    if (verified.format !== 'jwt_vc_json') throw new Error('Tessera read the JWT VC as another format');
  };
  const theirs = async () => {
    const verified = await didJwtVcVerifyCredential(jwt, deps.resolver as Parameters<typeof didJwtVcVerifyCredential>[1]);
    if (!verified.verified) throw new Error('did-jwt-vc did not verify the JWT VC');
  };
  log(`(f) verify a JWT VC: ${options.verifyWarmup} warm-up + ${options.verifyRuns} calls each, alternating`);
  const tessera: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < options.verifyWarmup + options.verifyRuns; i++) {
    const first = i % 2 === 0;
    const a = await timeUs(first ? ours : theirs);
    const b = await timeUs(first ? theirs : ours);
    if (i < options.verifyWarmup) continue;
    tessera.push(first ? a : b);
    baseline.push(first ? b : a);
  }
  return { tessera, baseline };
}

// ── (g) save and list ────────────────────────────────────────────────────────────

type VeramoVc = Parameters<DataStoreJson['methods']['dataStoreSaveVerifiableCredential']>[0]['verifiableCredential'];
type ListContext = Parameters<DataStoreJson['methods']['dataStoreORMGetVerifiableCredentials']>[1];

/** One held credential for both stores: the same JWT VC with its own `jti` (signature not re-made). */
function storeCredential(template: VerifiedCredential, index: number): { ours: CredentialRecord; theirs: VeramoVc } {
  const jti = `urn:uuid:${randomUUID()}`;
  const raw = withEditedPayload(template.raw, (payload) => {
    payload.jti = jti;
  });
  const ours = recordFrom(template, index, { raw });
  ours.document.id = jti;
  return { ours, theirs: normalizeCredential(raw) as unknown as VeramoVc };
}

interface VeramoBacking {
  store: VeramoJsonStore;
  /** What a real backing would hold in storage: JSON of the whole tree, rewritten on each update. */
  persisted: string;
}

/** A JSON-object backing whose notifyUpdate persists the whole tree (as BrowserLocalStorageStore does). */
function veramoBacking(tree: Partial<VeramoJsonStore> = {}): VeramoBacking {
  const backing: VeramoBacking = {
    persisted: '',
    store: {
      dids: {},
      keys: {},
      privateKeys: {},
      credentials: {},
      claims: {},
      presentations: {},
      messages: {},
      ...tree,
      notifyUpdate: async (_oldState, newState) => {
        backing.persisted = JSON.stringify(newState);
      },
    },
  };
  return backing;
}

/** DataStoreJson's own save without the per-save tree copy and notify, used only to pre-fill. */
type PrefillSave = (args: { verifiableCredential: VeramoVc }, postUpdates: boolean) => Promise<string>;

async function storePart(fixture: Fixture, size: number, options: CredentialsBenchOptions, log: Log): Promise<StoreSamples> {
  const template = fixture.templates.degree;
  const total = size + options.saveWarmup + options.saves;
  log(`(g) save and list at ${fmtN(size)}: building ${fmtN(total)} credentials`);
  const items = Array.from({ length: total }, (_, i) => storeCredential(template, i));
  const prefill = items.slice(0, size);
  const toSave = items.slice(size);

  // Tessera: the IndexedDB adapter over fake-indexeddb, records sealed with real vault keys.
  let started = performance.now();
  const keys = await deriveVaultKeys(randomBytes(32));
  const kv = new IndexedDbKeyValueStore(new IDBFactory(), `tessera-bench-${size}`);
  const collection = new EncryptedCollection<CredentialRecord>(kv, 'credentials', keys);
  // As CredentialRepository stores them: full pages, several pages per transaction.
  const pages = new EncryptedCollection<CredentialEntry>(kv, 'credentials', keys);
  const pageOps: Promise<WriteOp>[] = [pages.putOp(DIRECTORY_ID, { pageCount: Math.ceil(prefill.length / PAGE_CAPACITY) })];
  for (let i = 0; i < prefill.length; i += PAGE_CAPACITY) {
    const page = i / PAGE_CAPACITY;
    pageOps.push(pages.putBytesOp(pageId(page), encodePage(page, prefill.slice(i, i + PAGE_CAPACITY).map(({ ours }) => ours))));
  }
  for (let i = 0; i < pageOps.length; i += 8) await kv.write(await Promise.all(pageOps.slice(i, i + 8)));
  const tesseraPrefillMs = performance.now() - started;

  // Veramo: the same credentials through DataStoreJson's own save code, then persisted once.
  started = performance.now();
  const backing = veramoBacking();
  const veramo = new DataStoreJson(backing.store);
  const prefillSave = (veramo as unknown as { _dataStoreSaveVerifiableCredential: PrefillSave })._dataStoreSaveVerifiableCredential.bind(veramo);
  for (const { theirs } of prefill) await prefillSave({ verifiableCredential: theirs }, false);
  backing.persisted = JSON.stringify(backing.store);
  const veramoPrefillMs = performance.now() - started;
  log(`  pre-filled: Tessera ${(tesseraPrefillMs / 1000).toFixed(1)} s, Veramo ${(veramoPrefillMs / 1000).toFixed(1)} s`);

  const context = {} as ListContext;
  const veramoCount = async () => (await veramo.methods.dataStoreORMGetVerifiableCredentials({}, context)).length;

  // Lists before the saves, at exactly `size` credentials. The first cold list also
  // loads the repository the saves go through (as the unlocked session has it).
  const runs = listRunsFor(size);
  const tesseraListCold: number[] = [];
  const veramoList: number[] = [];
  const veramoListReload: number[] = [];
  let repository = new CredentialRepository(collection);
  for (let i = 0; i < runs.cold; i++) {
    const fresh = i === 0 ? repository : new CredentialRepository(collection);
    let listed = 0;
    tesseraListCold.push(await timeUs(async () => (listed = (await fresh.list()).length)));
    if (listed !== size) throw new Error(`Tessera listed ${listed} credentials, expected ${size}`);
    let theirs = 0;
    veramoList.push(await timeUs(async () => (theirs = await veramoCount())));
    if (theirs !== size) throw new Error(`Veramo listed ${theirs} credentials, expected ${size}`);
    veramoListReload.push(
      await timeUs(async () => {
        const reloaded = new DataStoreJson(veramoBacking(JSON.parse(backing.persisted) as Partial<VeramoJsonStore>).store);
        theirs = (await reloaded.methods.dataStoreORMGetVerifiableCredentials({}, context)).length;
      }),
    );
    if (theirs !== size) throw new Error(`reloaded Veramo listed ${theirs} credentials, expected ${size}`);
  }
  const tesseraListWarm: number[] = [];
  for (let i = 0; i < runs.warm; i++) {
    tesseraListWarm.push(await timeUs(() => repository.list()));
    // Veramo has no cache to warm: each list copies the table (structured clone).
    if (i >= runs.cold) veramoList.push(await timeUs(veramoCount));
  }
  log(`  lists: ${runs.cold} cold + ${runs.warm} warm (Tessera), ${veramoList.length} (Veramo)`);

  // Saves: new credentials, one block per store (so one store's garbage lands less in the other's samples).
  const tesseraSave: number[] = [];
  const veramoSave: number[] = [];
  for (const [i, { ours }] of toSave.entries()) {
    const sample = await timeUs(() => repository.save(ours));
    if (i >= options.saveWarmup) tesseraSave.push(sample);
  }
  for (const [i, { theirs }] of toSave.entries()) {
    const sample = await timeUs(() => veramo.methods.dataStoreSaveVerifiableCredential({ verifiableCredential: theirs }));
    if (i >= options.saveWarmup) veramoSave.push(sample);
  }
  repository = new CredentialRepository(collection);
  const held = (await repository.list()).length;
  if (held !== total) throw new Error(`Tessera holds ${held} credentials after the saves, expected ${total}`);
  if ((await veramoCount()) !== total) throw new Error(`Veramo holds a wrong count after the saves`);
  const persistedBytes = Buffer.byteLength(backing.persisted);
  log(`  saves: ${options.saveWarmup} warm-up + ${options.saves} each; Veramo's persisted JSON ${(persistedBytes / 1e6).toFixed(1)} MB`);
  kv.close();

  return {
    tesseraSave,
    veramoSave,
    tesseraListCold,
    tesseraListWarm,
    veramoList,
    veramoListReload,
    prefillMs: { tessera: Math.round(tesseraPrefillMs), veramo: Math.round(veramoPrefillMs) },
    veramoPersistedBytes: persistedBytes,
  };
}

// ── (h) DCQL ─────────────────────────────────────────────────────────────────────

/** A verifier asking for a PID (SD-JWT VC) and a university degree (JWT VC). */
const DCQL_QUERY = {
  credentials: [
    {
      id: 'pid',
      format: 'dc+sd-jwt',
      meta: { vct_values: [PID_VCT] },
      claims: [
        { path: ['given_name'] },
        { path: ['family_name'] },
        { path: ['address', 'locality'] },
        { path: ['age_equal_or_over', '18'], values: [true] },
      ],
    },
    {
      id: 'degree',
      format: 'jwt_vc_json',
      meta: { type_values: [['VerifiableCredential', 'UniversityDegreeCredential']] },
      claims: [{ path: ['credentialSubject', 'given_name'] }, { path: ['credentialSubject', 'degree', 'name'] }],
    },
  ],
};

/**
 * The held credentials: half SD-JWT VC, half JWT VC; 4 of each query's kind match,
 * 1% more are of the asked type without the asked claims, 2 matching ones are
 * revoked or expired; the rest are other types.
 */
function dcqlRecords(fixture: Fixture, size: number): CredentialRecord[] {
  const t = fixture.templates;
  const others: TemplateName[] = ['libraryCard', 'loyalty', 'employeeBadge', 'ticket', 'vaccination'];
  const special: [TemplateName, number, Partial<CredentialRecord>?][] = [
    ['pid', 4],
    ['degree', 4],
    ['pid', 1, { statusResult: { state: 'revoked', checkedAt: null, reason: 'revoked by the issuer', nextCheckAt: null } }],
    ['degree', 1, { validUntil: '2025-01-01T00:00:00.000Z' }],
    ['pidNoAddress', Math.round(size / 100)],
    ['degreeNoName', Math.round(size / 100)],
  ];
  const picks: [TemplateName, Partial<CredentialRecord>][] = [];
  for (const [name, count, overrides] of special) for (let i = 0; i < count; i++) picks.push([name, overrides ?? {}]);
  for (let i = picks.length; i < size; i++) picks.push([others[i % others.length] as TemplateName, {}]);
  // Spread the special ones through the list (deterministic shuffle).
  let seed = 0x9e3779b9;
  for (let i = picks.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
    const j = seed % (i + 1);
    [picks[i], picks[j]] = [picks[j] as (typeof picks)[number], picks[i] as (typeof picks)[number]];
  }
  // As the wallet holds them: decrypted records are JSON.parse'd (EncryptedCollection.open).
  return picks.map(([name, overrides], i) => JSON.parse(JSON.stringify(recordFrom(t[name], i, overrides))) as CredentialRecord);
}

type Pointer = (string | number | null)[];
interface HandQuery {
  id: string;
  formats: string[];
  accepts: (record: CredentialRecord) => boolean;
  claims: { path: Pointer; values: unknown[] | null }[];
}

const HAND_QUERIES: HandQuery[] = [
  {
    id: 'pid',
    formats: ['dc+sd-jwt'],
    accepts: (r) => r.vct === PID_VCT,
    claims: DCQL_QUERY.credentials[0]!.claims.map((c) => ({ path: c.path, values: 'values' in c ? (c.values as unknown[]) : null })),
  },
  {
    id: 'degree',
    formats: ['jwt_vc_json', 'vc+jwt'],
    accepts: (r) => r.types.includes('VerifiableCredential') && r.types.includes('UniversityDegreeCredential'),
    claims: DCQL_QUERY.credentials[1]!.claims.map((c) => ({ path: c.path, values: null })),
  },
];

function hasClaim(value: unknown, path: Pointer, index: number, values: unknown[] | null): boolean {
  if (index === path.length) return value !== undefined && value !== null && (values === null || values.includes(value));
  const key = path[index];
  if (key === undefined) return false;
  if (key === null) return Array.isArray(value) && value.some((item) => hasClaim(item, path, index + 1, values));
  if (typeof key === 'number') return Array.isArray(value) && hasClaim(value[key], path, index + 1, values);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return hasClaim((value as Record<string, unknown>)[key], path, index + 1, values);
}

/**
 * The baseline: the same request answered by a plain filter written by hand for it
 * (status and validity once, then format, type/vct and claim paths per query).
 */
function handFilter(records: readonly CredentialRecord[], now: number): Record<string, CredentialRecord[]> {
  const usable = records.filter(
    (r) =>
      r.statusResult.state !== 'revoked' &&
      r.statusResult.state !== 'suspended' &&
      r.statusResult.state !== 'expired' &&
      (r.validUntil === null || Date.parse(r.validUntil) > now),
  );
  const out: Record<string, CredentialRecord[]> = {};
  for (const query of HAND_QUERIES) {
    out[query.id] = usable.filter(
      (r) => query.formats.includes(r.format) && query.accepts(r) && query.claims.every((claim) => hasClaim(r.document, claim.path, 0, claim.values)),
    );
  }
  return out;
}

async function dcqlPart(fixture: Fixture, size: number, options: CredentialsBenchOptions, now: number, log: Log) {
  const query = parseDcqlQuery(DCQL_QUERY);
  const records = dcqlRecords(fixture, size);
  log(`(h) DCQL match over ${fmtN(size)} credentials: ${options.dcqlWarmup} warm-up + ${options.dcqlRuns} runs each, alternating`);
  const counts = (byQuery: Record<string, readonly CredentialRecord[]>) =>
    Object.fromEntries(Object.entries(byQuery).map(([id, list]) => [id, list.length]));
  let candidates: Record<string, number> = {};
  let baselineCandidates: Record<string, number> = {};
  const ours = async () => {
    const match = matchDcql(query, records, { now });
    if (!match.canBeSatisfied) throw new Error('matchDcql found nothing to offer');
    candidates = counts(Object.fromEntries(match.queries.map((q) => [q.queryId, q.candidates])));
  };
  const theirs = async () => {
    baselineCandidates = counts(handFilter(records, now));
  };
  const tessera: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < options.dcqlWarmup + options.dcqlRuns; i++) {
    const first = i % 2 === 0;
    const a = await timeUs(first ? ours : theirs);
    const b = await timeUs(first ? theirs : ours);
    if (i < options.dcqlWarmup) continue;
    tessera.push(first ? a : b);
    baseline.push(first ? b : a);
  }
  if (JSON.stringify(candidates) !== JSON.stringify(baselineCandidates)) {
    throw new Error(`matchDcql and the hand filter disagree: ${JSON.stringify(candidates)} vs ${JSON.stringify(baselineCandidates)}`);
  }
  return { tessera, baseline, candidates, baselineCandidates };
}

// ── the part ─────────────────────────────────────────────────────────────────────

export async function runCredentialsBench(
  options: CredentialsBenchOptions = DEFAULT_CREDENTIALS_OPTIONS,
  log: Log = (message) => process.stdout.write(`${message}\n`),
): Promise<CredentialsBenchResult> {
  const t0 = performance.now();
  const now = Date.now();
  const notes: string[] = [];
  log('credentials (Node): issuing and verifying the test credentials');
  const fixture = await buildFixture(now);

  const verify = await verifyPart(fixture, options, log);
  const store: Record<string, StoreSamples> = {};
  const dcql: CredentialsBenchResult['raw']['dcql'] = {};
  for (const size of options.sizes) store[size] = await storePart(fixture, size, options, log);
  for (const size of options.sizes) dcql[size] = await dcqlPart(fixture, size, options, now, log);

  const rows: Row[] = [
    makeRow({
      id: 'credential-verify-jwt-vc',
      metric: '(f) verify JWT VC vs did-jwt-vc',
      unit: 'µs',
      tessera: verify.tessera,
      baseline: verify.baseline,
    }),
  ];
  for (const size of options.sizes) {
    const s = store[size] as StoreSamples;
    const atGoal = size === GOAL_SIZE;
    rows.push(
      makeRow({
        id: `credential-save-${size}`,
        metric: `(g) save @ ${fmtN(size)} vs Veramo JSON store`,
        unit: 'µs',
        tessera: s.tesseraSave,
        baseline: s.veramoSave,
        ratioOf: 'baseline/tessera',
        ...(atGoal ? { minRatio: SAVE_MIN_SPEEDUP_AT_10K, goalText: `≥ ${SAVE_MIN_SPEEDUP_AT_10K}× faster` } : {}),
      }),
      makeRow({
        id: `credential-list-cold-${size}`,
        metric: `(g) list ${fmtN(size)}, cold vs Veramo list`,
        unit: 'µs',
        tessera: s.tesseraListCold,
        baseline: s.veramoList,
        ...(atGoal ? { maxRatio: LIST_COLD_MAX_RATIO_AT_10K } : {}),
      }),
      makeRow({
        id: `credential-list-warm-${size}`,
        metric: `(g) list ${fmtN(size)}, warm vs Veramo list`,
        unit: 'µs',
        tessera: s.tesseraListWarm,
        baseline: s.veramoList,
      }),
    );
  }
  for (const size of options.sizes) {
    const d = dcql[size] as CredentialsBenchResult['raw']['dcql'][string];
    rows.push(
      makeRow({
        id: `dcql-match-${size}`,
        metric: `(h) DCQL match ${fmtN(size)} vs hand filter`,
        unit: 'µs',
        tessera: d.tessera,
        baseline: d.baseline,
        ...(size === GOAL_SIZE ? { maxValue: us(DCQL_MAX_MS_AT_10K), goalText: `≤ ${DCQL_MAX_MS_AT_10K} ms` } : {}),
      }),
    );
  }
  if (!options.sizes.includes(GOAL_SIZE)) notes.push(`credentials: no ${fmtN(GOAL_SIZE)} size in this run, so no credential goals were checked`);
  if (options.verifyRuns < 200) notes.push(`credentials: ${options.verifyRuns} verifications per side, below the 200 a real report needs`);

  return {
    rows,
    durationMs: Math.round(performance.now() - t0),
    goals: {
      saveMinSpeedupAt10k: SAVE_MIN_SPEEDUP_AT_10K,
      listColdMaxRatioAt10k: LIST_COLD_MAX_RATIO_AT_10K,
      dcqlMaxMsAt10k: DCQL_MAX_MS_AT_10K,
    },
    method: {
      clock: 'Node performance.now() around each awaited call, one process; samples in µs; warm-ups discarded',
      verify:
        `one did-jwt-vc-issued Ed25519 did:key JWT VC (jwt_vc_json); Tessera verifyCredential(raw, { resolver, holderKeys, now }) vs did-jwt-vc verifyCredential(jwt, resolver), the same resolver (key-did-resolver + did:jwk, no cache); alternating order; ${options.verifyWarmup} warm-up + ${options.verifyRuns} calls each`,
      storeRecords:
        'the verified JWT VC cloned with a distinct jti (payload edited, signature kept: neither store verifies) and a distinct record id; Tessera stores the CredentialRecord, Veramo the did-jwt-vc normalizeCredential W3C VC with its JwtProof2020 JWT',
      storeTessera:
        `CredentialRepository → a page directory and pages of ${PAGE_CAPACITY} records (credential-page-codec format 2: a JSON header of rows and shared values, then the raw bodies), each an EncryptedCollection entry (HMAC slot, AES-256-GCM, keys from deriveVaultKeys(random 32 bytes)) → IndexedDbKeyValueStore over fake-indexeddb (new IDBFactory()); pre-filled with full pages (EncryptedCollection.putBytesOp), 8 pages per transaction`,
      storeVeramo:
        "@veramo/data-store-json DataStoreJson over a JSON-object backing whose notifyUpdate writes JSON.stringify(tree) to an in-memory string (as BrowserLocalStorageStore does to localStorage); pre-filled through its own _dataStoreSaveVerifiableCredential(args, false) (no per-save copy), then persisted once",
      save: `${options.saveWarmup} warm-up + ${options.saves} saves of new credentials per store and size; Tessera CredentialRepository.save on a repository whose cache is loaded (the unlocked session's state), Veramo dataStoreSaveVerifiableCredential (copies the tree, then notifyUpdate); one block per store; ratio = Veramo median ÷ Tessera median (× faster)`,
      list: 'at exactly N credentials, before the saves: cold = a fresh CredentialRepository on the same store, list() (directory, then the pages in one read, decrypted 8 at a time, the raw bodies decoded once + sort; the first cold list is the repository the saves use); warm = list() again on a loaded repository; Veramo = dataStoreORMGetVerifiableCredentials({}) on the live store (a structured clone of the table); raw.store.*.veramoListReload = JSON.parse of the persisted tree + new DataStoreJson + list',
      listRuns: options.sizes.map((size) => `${fmtN(size)}: ${listRunsFor(size).cold} cold, ${listRunsFor(size).warm} warm`).join('; '),
      dcql:
        'matchDcql(parseDcqlQuery(query), records, { now }) for a PID (dc+sd-jwt, vct_values, 4 claims, one with values) and a UniversityDegreeCredential (jwt_vc_json, type_values, 2 claims); records made from 9 real verified credentials (4 SD-JWT VC, 5 JWT VC types) and JSON round-tripped as decrypted records are, half SD-JWT VC, 4 matching per query, 1 revoked/expired per query, 1% of each asked type without an asked claim; baseline = a plain filter by format, status, validUntil, type/vct and claim paths written for this query (its candidate counts must equal matchDcql\'s)',
      dcqlRuns: `${options.dcqlWarmup} warm-up + ${options.dcqlRuns} runs each per size, alternating`,
    },
    raw: { verify, store, dcql },
    notes,
  };
}
