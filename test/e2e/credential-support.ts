/**
 * Shared set-up for the citizen-journey end-to-end files (credentials.e2e.ts,
 * dc-api.e2e.ts): one Chromium with the built extension, the civic registry (issuer)
 * and the city-services site (verifier) on two ports of 127.0.0.1, and helpers for
 * the W3C Digital Credentials API, the registry page, the dashboard, and credentials
 * made by independent code (did-jwt-vc, @sd-jwt/sd-jwt-vc) rather than by the demo.
 */
import { createHash } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519';
import { base58 } from '@scure/base';
import { EdDSASigner } from 'did-jwt';
import { createVerifiableCredentialJwt, type JwtCredentialPayload } from 'did-jwt-vc';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import {
  DEFAULT_EXTENSION_DIR,
  approveIn,
  evaluationSource,
  isApprovalUrl,
  launchWithExtension,
  onboard,
  openExtensionPage,
  rejectIn,
  requestInPage,
  waitForClose,
  watchApprovalPages,
  type ExtensionBrowser,
} from '../../scripts/lib/extension-browser.ts';
import { startRegistry, type RegistryServer } from '../../demo/registry/server.ts';
import { startCity, type CityServer } from '../../demo/city/server.ts';
import { PASSWORD, expectOk } from './support.ts';

export { PASSWORD };

// ---------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------

export interface CitizenHarness {
  browser: ExtensionBrowser;
  context: BrowserContext;
  extensionId: string;
  registry: RegistryServer;
  city: CityServer;
  /** http://127.0.0.1:<registry port> */
  registryOrigin: string;
  /** http://127.0.0.1:<city port> */
  cityOrigin: string;
  close(): Promise<void>;
}

/** The registry and the city (which trusts the registry), then Chromium with dist/ loaded. */
export async function startCitizenHarness({ onboarded = true, args }: { onboarded?: boolean; /** Extra Chromium switches. */ args?: string[] } = {}): Promise<CitizenHarness> {
  const registry = await startRegistry();
  const city = await startCity({ trustedIssuers: [{ did: registry.did, name: 'Aldmere Civic Registry' }] });
  let browser: ExtensionBrowser;
  try {
    browser = await launchWithExtension({ extensionDirs: [process.env.TESSERA_EXTENSION_DIR ?? DEFAULT_EXTENSION_DIR], ...(args ? { args } : {}) });
  } catch (error) {
    await Promise.all([registry.close(), city.close()]);
    throw error;
  }
  const harness: CitizenHarness = {
    browser,
    context: browser.context,
    extensionId: browser.extensionId,
    registry,
    city,
    registryOrigin: registry.origin(),
    cityOrigin: city.origin(),
    close: async () => {
      await browser.close();
      await Promise.all([registry.close(), city.close()]);
    },
  };
  if (onboarded) await onboard(browser.context, browser.extensionId, PASSWORD);
  return harness;
}

export async function openPage(context: BrowserContext, url: string, { provider = true } = {}): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  if (provider) {
    await page.waitForFunction('typeof window.tessera === "object" && window.tessera !== null', undefined, { timeout: 10_000 });
  }
  return page;
}

export const hostOf = (origin: string) => origin.replace(/^https?:\/\//, '');

// ---------------------------------------------------------------------------
// The W3C Digital Credentials API, called in a page
// ---------------------------------------------------------------------------

export interface DcCredential {
  type: unknown;
  protocol: unknown;
  data: unknown;
}

export interface DcError {
  name: string | null;
  message: string;
  isTypeError: boolean;
  isDOMException: boolean;
}

export type DcOutcome =
  | { ok: true; value: DcCredential | null }
  | { ok: false; error: DcError; pending?: boolean; sync?: boolean };

interface DcCall {
  key: string;
  options: unknown;
  timeoutMs: number;
}

/** Runs in the page: `navigator.credentials.get(options)`, outcome kept under `window.__dcCalls[key]`. */
function pageStartDc(call: DcCall): number {
  type Entry = { outcome: unknown; done: Promise<void> };
  const w = window as unknown as { __dcCalls?: Record<string, Entry> };
  const describe = (e: unknown) => {
    const o = (e ?? {}) as { name?: unknown; message?: unknown };
    return {
      name: typeof o.name === 'string' ? o.name : null,
      message: typeof o.message === 'string' ? o.message : String(e),
      isTypeError: e instanceof TypeError,
      isDOMException: typeof DOMException !== 'undefined' && e instanceof DOMException,
    };
  };
  const entry: Entry = { outcome: null, done: Promise.resolve() };
  entry.done = (async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<unknown>((r) => {
      timer = setTimeout(
        () => r({ ok: false, pending: true, error: { name: null, message: `no answer within ${call.timeoutMs} ms`, isTypeError: false, isDOMException: false } }),
        call.timeoutMs,
      );
    });
    let answer: Promise<unknown>;
    try {
      answer = navigator.credentials.get(call.options as CredentialRequestOptions).then(
        (credential) => {
          if (credential === null) return { ok: true, value: null };
          const c = credential as unknown as { type?: unknown; protocol?: unknown; data?: unknown };
          return { ok: true, value: { type: c.type, protocol: c.protocol, data: JSON.parse(JSON.stringify(c.data ?? null)) as unknown } };
        },
        (error: unknown) => ({ ok: false, error: describe(error) }),
      );
    } catch (error) {
      answer = Promise.resolve({ ok: false, sync: true, error: describe(error) });
    }
    entry.outcome = await Promise.race([answer, timeout]);
    clearTimeout(timer);
  })();
  w.__dcCalls ??= {};
  w.__dcCalls[call.key] = entry;
  return 1;
}

export interface DcHandle {
  page: Page;
  key: string;
}

let dcCounter = 0;

/** Starts `navigator.credentials.get(options)` in the page without waiting for it. */
export async function startDcGet(page: Page, options: unknown, { timeoutMs = 60_000 } = {}): Promise<DcHandle> {
  const key = `dc${++dcCounter}-${Date.now()}`;
  await page.evaluate(evaluationSource(pageStartDc, { key, options, timeoutMs }));
  return { page, key };
}

export async function waitDcGet(handle: DcHandle): Promise<DcOutcome> {
  return (await handle.page.evaluate(
    evaluationSource(async (key: string) => {
      const w = window as unknown as { __dcCalls?: Record<string, { outcome: unknown; done: Promise<void> }> };
      const entry = w.__dcCalls?.[key];
      if (!entry) throw new Error(`unknown DC API call ${key} (did the page navigate?)`);
      await entry.done;
      return entry.outcome;
    }, handle.key),
  )) as DcOutcome;
}

/** `navigator.credentials.get(options)` in the page, waited for. */
export async function dcGet(page: Page, options: unknown, { timeoutMs = 30_000 } = {}): Promise<DcOutcome> {
  return await waitDcGet(await startDcGet(page, options, { timeoutMs }));
}

/** The options object of a DC API call with one request. */
export function digital(protocol: string, data: unknown): { digital: { requests: { protocol: string; data: unknown }[] } } {
  return { digital: { requests: [{ protocol, data }] } };
}

export function expectDcOk(outcome: DcOutcome): DcCredential {
  if (!outcome.ok) throw new Error(`expected the DC API call to resolve, got ${JSON.stringify(outcome.error)}${outcome.pending ? ' (still pending)' : ''}`);
  if (!outcome.value) throw new Error('the DC API call resolved with null');
  return outcome.value;
}

export function expectDcRejected(outcome: DcOutcome, name: string): DcError {
  if (outcome.ok) throw new Error(`expected a ${name}, got a result ${JSON.stringify(outcome.value).slice(0, 300)}`);
  expect(outcome.pending ?? false, `the call did not settle: ${outcome.error.message}`).toBe(false);
  expect(outcome.error.name, `error was ${JSON.stringify(outcome.error)}`).toBe(name);
  if (name === 'TypeError') expect(outcome.error.isTypeError).toBe(true);
  else expect(outcome.error.isDOMException, `${name} should be a DOMException`).toBe(true);
  return outcome.error;
}

/** A protocol error: the promise fulfils with `data: { error: 'invalid_request', error_description }`. */
export function expectInvalidRequest(outcome: DcOutcome, description?: RegExp): string {
  const value = expectDcOk(outcome);
  const data = value.data as { error?: unknown; error_description?: unknown; vp_token?: unknown };
  expect(data, `expected invalid_request, got ${JSON.stringify(data).slice(0, 300)}`).toMatchObject({ error: 'invalid_request' });
  expect(data.vp_token).toBeUndefined();
  expect(typeof data.error_description).toBe('string');
  const text = data.error_description as string;
  expect(text.length).toBeGreaterThan(0);
  if (description) expect(text).toMatch(description);
  return text;
}

/** The presentations for DCQL query `queryId` in a DC API (or wallet_requestCredentials) answer. */
export function presentationsFor(data: unknown, queryId: string): string[] {
  const vpToken = (data as { vp_token?: Record<string, unknown> } | null)?.vp_token;
  expect(vpToken, `no vp_token in ${JSON.stringify(data).slice(0, 300)}`).toBeTypeOf('object');
  const list = vpToken?.[queryId];
  expect(Array.isArray(list), `vp_token.${queryId} must be an array`).toBe(true);
  for (const p of list as unknown[]) expect(typeof p).toBe('string');
  return list as string[];
}

/**
 * Runs a DC API call that must end in NotAllowedError because nothing the wallet holds
 * matches. A wallet may say so without a window, or show one the user dismisses; a
 * window that opens must not offer anything to share.
 */
export async function expectNoMatch(context: BrowserContext, page: Page, options: unknown): Promise<void> {
  const watch = watchApprovalPages(context);
  try {
    const handle = await startDcGet(page, options, { timeoutMs: 30_000 });
    const outcome = await Promise.race([
      waitDcGet(handle),
      (async () => {
        for (let i = 0; i < 100 && watch.pages.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
        return null;
      })(),
    ]);
    if (outcome) {
      expectDcRejected(outcome, 'NotAllowedError');
      return;
    }
    const window = watch.pages[0];
    if (window) await dismissNoMatchWindow(window);
    expectDcRejected(await waitDcGet(handle), 'NotAllowedError');
  } finally {
    watch.stop();
  }
}

/**
 * A consent window for a request nothing matches: it must offer no credential, no
 * claim and no way to approve; the user closes it.
 */
export async function dismissNoMatchWindow(window: Page): Promise<void> {
  if (window.isClosed()) return;
  await window.waitForLoadState('domcontentloaded').catch(() => undefined);
  await window.getByTestId('reject').waitFor({ state: 'visible', timeout: 15_000 });
  await window.locator('[data-testid^="query-"]').first().waitFor({ timeout: 5_000 }).catch(() => undefined);
  expect(await window.locator('[data-testid^="candidate-"]').count(), 'a window offered a credential to share').toBe(0);
  expect(await window.locator('[data-testid^="claim-"]').count(), 'a window offered claims to share').toBe(0);
  const approve = window.getByTestId('approve');
  if ((await approve.count()) > 0) expect(await approve.isEnabled(), 'approve must not be possible with no match').toBe(false);
  await decide(window, 'reject');
}

// ---------------------------------------------------------------------------
// The registry page and offers
// ---------------------------------------------------------------------------

/**
 * Watches for the first approval window opened after it starts, without claiming it
 * (so a later `waitForApprovalPage` is never robbed of a window it waits for).
 */
export function firstApproval(context: BrowserContext): { next(settled: () => boolean, timeoutMs?: number): Promise<Page | null>; stop(): void } {
  const watch = watchApprovalPages(context);
  return {
    stop: () => watch.stop(),
    next: async (settled, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      try {
        while (Date.now() < deadline) {
          const page = watch.pages.find((p) => !p.isClosed());
          if (page) {
            await page.waitForLoadState('domcontentloaded').catch(() => undefined);
            return page;
          }
          if (settled()) return null;
          await new Promise((r) => setTimeout(r, 50));
        }
        return null;
      } finally {
        watch.stop();
      }
    },
  };
}

/**
 * On the registry page: "Connect Tessera & issue" (approving the identity request if
 * the wallet asks), until both credentials are shown. Returns the holder DID.
 */
export async function issueOnRegistryPage(context: BrowserContext, page: Page): Promise<string> {
  const watch = firstApproval(context);
  const issued = page.locator('[data-testid="issue-status"][data-state="issued"], [data-testid="issue-status"][data-state="error"]');
  await page.getByTestId('issue-button').click();
  let settled = false;
  void issued.first().waitFor({ timeout: 30_000 }).then(
    () => (settled = true),
    () => (settled = true),
  );
  const approval = await watch.next(() => settled);
  if (approval) {
    // (usable from hooks too: expect.poll is for tests only)
    await approval.getByTestId('approval-origin').filter({ hasText: hostOf(new URL(page.url()).origin) }).waitFor({ timeout: 15_000 });
    await decide(approval, 'approve');
  }
  await issued.first().waitFor({ timeout: 30_000 });
  const state = await page.getByTestId('issue-status').getAttribute('data-state');
  if (state !== 'issued') throw new Error(`the registry did not issue: ${await page.getByTestId('registry-error').textContent()}`);
  const holder = ((await page.getByTestId('holder-did').textContent()) ?? '').trim();
  expect(holder).toMatch(/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]+$/);
  return holder;
}

/** Offers `credential` from `page` with wallet_offerCredential and approves it; returns the stored id. */
export async function holdCredential(context: BrowserContext, page: Page, credential: string): Promise<string> {
  const watch = firstApproval(context);
  let settled = false;
  const outcomeP = requestInPage<{ id: string }>(page, { method: 'wallet_offerCredential', params: { credential } }, { timeoutMs: 30_000 });
  void outcomeP.then(
    () => (settled = true),
    () => (settled = true),
  );
  const approval = await watch.next(() => settled);
  if (approval) await decide(approval, 'approve');
  const { id } = expectOk(await outcomeP);
  expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  return id;
}

/** Decides in an approval window and waits for it to close. */
export async function decide(approval: Page, decision: 'approve' | 'reject'): Promise<void> {
  if (decision === 'approve') await approveIn(approval);
  else await rejectIn(approval);
  await waitForClose(approval);
}

/** Any approval windows still open (for clean-up after a failed assertion). */
export async function closeStrayApprovals(context: BrowserContext): Promise<void> {
  for (const page of context.pages()) if (isApprovalUrl(page.url())) await page.close().catch(() => undefined);
}

// ---------------------------------------------------------------------------
// Dashboard
// ---------------------------------------------------------------------------

export async function openDashboard(h: CitizenHarness): Promise<Page> {
  return await openExtensionPage(h.context, h.extensionId, 'dashboard/index.html');
}

/** Adds `did` to the trusted issuers from the dashboard. */
export async function trustIssuer(h: CitizenHarness, did: string, label: string): Promise<void> {
  const page = await openDashboard(h);
  try {
    await page.getByTestId('trust-did').fill(did);
    await page.getByTestId('trust-label').fill(label);
    await page.getByTestId('trust-add').click();
    await page.getByTestId(`trusted-${did}`).waitFor({ timeout: 10_000 });
  } finally {
    await page.close();
  }
}

/** Opens a held credential's detail in the dashboard. */
export async function openCredential(h: CitizenHarness, id: string): Promise<Page> {
  const page = await openDashboard(h);
  await page.getByTestId(`credential-${id}`).click({ timeout: 10_000 });
  await page.getByTestId('credential-detail').first().waitFor({ timeout: 10_000 });
  return page;
}

// ---------------------------------------------------------------------------
// Credentials made by independent code (not the demo registry)
// ---------------------------------------------------------------------------

export interface TestIssuer {
  did: string;
  kid: string;
  secretKey: Uint8Array;
  /** base64url Ed25519 signature over the UTF-8 bytes of `data`. */
  sign(data: string): string;
}

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** An Ed25519 did:key made with @noble/curves and @scure/base. */
export function newTestIssuer(): TestIssuer {
  const secretKey = ed25519.utils.randomSecretKey();
  const did = `did:key:z${base58.encode(new Uint8Array([0xed, 0x01, ...ed25519.getPublicKey(secretKey)]))}`;
  return {
    did,
    kid: `${did}#${did.slice('did:key:'.length)}`,
    secretKey,
    sign: (data) => b64u(ed25519.sign(new TextEncoder().encode(data), secretKey)),
  };
}

/** The OKP JWK of an Ed25519 did:key (decoded with @scure/base). */
export function holderJwk(did: string): { kty: 'OKP'; crv: 'Ed25519'; x: string } {
  const bytes = base58.decode(did.replace(/^did:key:z/, ''));
  if (bytes[0] !== 0xed || bytes[1] !== 0x01 || bytes.length !== 34) throw new Error(`not an Ed25519 did:key: ${did}`);
  return { kty: 'OKP', crv: 'Ed25519', x: b64u(bytes.slice(2)) };
}

/** A VC Data Model 1.1 JWT (jwt_vc_json) made with did-jwt-vc. */
export async function makeJwtVc(
  issuer: TestIssuer,
  {
    subject,
    types = ['VerifiableCredential', 'LibraryCardCredential'],
    claims = { given_name: 'Mara', card_number: 'LIB-0042' },
    expiresInSeconds = 3600,
    kid = issuer.kid,
  }: { subject: string; types?: string[]; claims?: Record<string, unknown>; expiresInSeconds?: number; kid?: string },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JwtCredentialPayload = {
    sub: subject,
    nbf: now - 60,
    exp: now + expiresInSeconds,
    vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: types, credentialSubject: claims },
  };
  return await createVerifiableCredentialJwt(
    payload,
    { did: issuer.did, signer: EdDSASigner(issuer.secretKey), alg: 'EdDSA' },
    { header: { alg: 'EdDSA', kid } },
  );
}

/** An SD-JWT VC (dc+sd-jwt) made with @sd-jwt/sd-jwt-vc, bound by `cnf.jwk` to `holderDid`. */
export async function makeSdJwtVc(
  issuer: TestIssuer,
  {
    holderDid,
    vct = 'https://issuer.example/credentials/membership',
    claims = { given_name: 'Mara', member_since: '2019', tier: 'gold' },
    disclose = Object.keys(claims),
    expiresInSeconds = 3600,
    cnf,
  }: {
    holderDid: string;
    vct?: string;
    claims?: Record<string, unknown>;
    disclose?: string[];
    expiresInSeconds?: number;
    cnf?: Record<string, unknown>;
  },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const sdjwt = new SDJwtVcInstance({
    signer: (data: string) => issuer.sign(data),
    signAlg: 'EdDSA',
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
  });
  return await sdjwt.issue(
    { iss: issuer.did, iat: now, exp: now + expiresInSeconds, vct, cnf: cnf ?? { jwk: holderJwk(holderDid) }, ...claims },
    { _sd: disclose as never[] },
    { header: { kid: issuer.kid } },
  );
}

// ---------------------------------------------------------------------------
// Reading presentations
// ---------------------------------------------------------------------------

export function decodeJson(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export interface DecodedSdJwtPresentation {
  issuerHeader: Record<string, unknown>;
  issuerPayload: Record<string, unknown>;
  /** [salt, name, value] of each disclosure presented. */
  disclosures: unknown[][];
  disclosedNames: string[];
  kbHeader: Record<string, unknown>;
  kbPayload: Record<string, unknown>;
  /** base64url SHA-256 over `<issuer-jwt>~<disclosure>~…~` (what sd_hash must be). */
  expectedSdHash: string;
}

export function decodeSdJwtPresentation(presentation: string): DecodedSdJwtPresentation {
  const parts = presentation.split('~');
  const kb = parts.at(-1) ?? '';
  const [issuerJwt = '', ...disclosureParts] = parts.slice(0, -1);
  const [ih = '', ip = ''] = issuerJwt.split('.');
  const [kh = '', kp = ''] = kb.split('.');
  const disclosures = disclosureParts.filter((d) => d !== '').map((d) => JSON.parse(Buffer.from(d, 'base64url').toString('utf8')) as unknown[]);
  const withoutKb = presentation.slice(0, presentation.length - kb.length);
  return {
    issuerHeader: decodeJson(ih),
    issuerPayload: decodeJson(ip),
    disclosures,
    disclosedNames: disclosures.filter((d) => d.length === 3).map((d) => String(d[1])),
    kbHeader: kh ? decodeJson(kh) : {},
    kbPayload: kp ? decodeJson(kp) : {},
    expectedSdHash: createHash('sha256').update(withoutKb, 'utf8').digest('base64url'),
  };
}

/** A fresh nonce of 32 url-safe characters. */
export function freshNonce(): string {
  return createHash('sha256').update(`${Math.random()}-${process.hrtime.bigint()}`).digest('base64url').slice(0, 32);
}
