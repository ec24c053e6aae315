/**
 * `npm start`: build the extension, start the demo site, then
 * - with a display (`DISPLAY` set): open Chromium with Tessera loaded and the demo site,
 *   and wait until you close the browser;
 * - without one: walk the login journey headless (onboarding, log in on the demo site,
 *   a silent second login, the popup, disconnect, log in again), then the citizen
 *   journey (the civic registry issues a resident card and a PID into the wallet; the
 *   city-services site asks through the Digital Credentials API for a name and an
 *   over-18 claim and verifies the answer; the registry revokes and the city's next
 *   request finds nothing), then the library journey (the Aldmere City Library asks for
 *   a year's access to the resident card's name and address; the consent window is
 *   approved; the library reads under the grant without a window; the dashboard's
 *   Access tab before and after revoking the grant, the Activity tab with its integrity
 *   state, and the library's next read refused with 4100), then chain anchoring on the
 *   development chain (scripts/lib/demo-anchoring.ts: Settings, a grant anchored with
 *   "Anchor now" pending then mined, the receipt downloaded and checked by
 *   `verify-receipt`, revoked, checked again), then the research journey
 *   (scripts/lib/demo-research.ts: the ethics board's DID on the accreditation list, the
 *   clinic's health summary, the portal's accredited request and consent window, reads,
 *   the receipt on chain, revoked; an unverified request refused health data), save a
 *   screenshot per step under artifacts/demo-<timestamp>/ and print what happened. Exits
 *   non-zero if a step fails.
 * Both modes run the development chain (a hardhat node with TesseraAnchor deployed,
 * DESIGN.md §6) for as long as the demo runs.
 *
 * Flags: `--no-build` (use dist/ as it is), `--headless` (the journey even with a display).
 * `TESSERA_EXTENSION_DIR=<dir>` builds into and loads that folder instead of dist/ (as the
 * end-to-end tests do), so a walk on a shared machine leaves dist/ alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import {
  DEFAULT_EXTENSION_DIR,
  approveIn,
  extensionUrl,
  launchWithExtension,
  onboard,
  recordProviderEvents,
  waitForApprovalPage,
  waitForProviderEvent,
  waitForClose,
  watchApprovalPages,
  type ExtensionBrowser,
} from './lib/extension-browser.ts';
import { startDemoServer, type DemoServer } from '../demo/server.ts';
import { startRegistry, type RegistryServer } from '../demo/registry/server.ts';
import { startCity, type CityServer } from '../demo/city/server.ts';
import { startLibrary, type LibraryServer } from '../demo/library/server.ts';
import { startLibraryIssuer, type LibraryIssuerServer } from '../demo/vci-library-issuer/server.ts';
import { openid4vciJourney } from './lib/demo-openid4vci.ts';
import { startDevChain, type DevChain } from './lib/dev-chain.ts';
import { anchoringJourney, fundAnchoringAccounts, type DemoWalk } from './lib/demo-anchoring.ts';
import { tallShot, waitForState as waitForAttr } from './lib/demo-page.ts';
import { closeResearchSites, researchGuide, researchJourney, researchSiteLines, startResearchSites, type ResearchSites } from './lib/demo-research.ts';

interface CitizenSites {
  registry: RegistryServer;
  city: CityServer;
  library: LibraryServer;
  research: ResearchSites;
  /** The ferry company: an OpenID4VCI issuer built only on @openid4vc/openid4vci. */
  ferry: LibraryIssuerServer;
}

const root = resolve(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
const DEMO_PASSWORD = 'tessera-demo-password';
const EXTENSION_DIR = process.env.TESSERA_EXTENSION_DIR ? resolve(process.env.TESSERA_EXTENSION_DIR) : DEFAULT_EXTENSION_DIR;

function build(): void {
  if (args.has('--no-build')) {
    console.log(`Skipping the build (--no-build); using ${EXTENSION_DIR} as it is.`);
    return;
  }
  process.stdout.write('Building the extension (npm run build)… ');
  const started = performance.now();
  const result = spawnSync('npm', ['run', 'build', ...(EXTENSION_DIR === DEFAULT_EXTENSION_DIR ? [] : ['--', EXTENSION_DIR])], {
    cwd: root,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    console.log('failed.');
    process.stdout.write(result.stdout ?? '');
    process.stderr.write(result.stderr ?? '');
    process.exit(result.status ?? 1);
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

async function interactive(server: DemoServer, citizen: CitizenSites, chain: DevChain): Promise<void> {
  const browser = await launchWithExtension({ extensionDirs: [EXTENSION_DIR], headless: false, viewport: null });
  const site = await browser.context.newPage();
  await site.goto(server.url());
  await (await browser.context.newPage()).goto(citizen.registry.url());
  await (await browser.context.newPage()).goto(citizen.city.url());
  await (await browser.context.newPage()).goto(citizen.library.url());
  for (const s of [citizen.research.accreditor, citizen.research.clinic, citizen.research.research]) await (await browser.context.newPage()).goto(s.url());
  await (await browser.context.newPage()).goto(citizen.registry.url(undefined, '/openid4vci'));
  console.log('');
  console.log(`Chromium is open with Tessera loaded (extension id ${browser.extensionId}).`);
  console.log('  1. In the Tessera tab, create your wallet (a password of 8 characters or more).');
  console.log(`  2. On the demo site (${server.url()}), click "Log in with Tessera" and approve in the window that opens.`);
  console.log(`  3. The same site under another origin gets another DID: ${server.url('localhost')}`);
  console.log('  4. The toolbar puzzle icon → Tessera shows connected sites; the dashboard is the extension\'s options page.');
  console.log(`  5. Civic registry (${citizen.registry.url()}): "Connect Tessera & issue", then "Add to Tessera" for each credential.`);
  console.log(`  6. City services (${citizen.city.url()}): "Verify with my digital ID" asks through the Digital Credentials API.`);
  console.log('  7. Back at the registry, "Revoke" a credential: the city\'s next request finds nothing to share.');
  console.log(`  8. City library (${citizen.library.url()}): "Get a library card" asks for a year's access to your resident card;`);
  console.log('     "Renew my library card" reads under that grant without a window; revoke it in the dashboard\'s Access tab.');
  console.log('  9. Chain anchoring: in the dashboard\'s Settings turn it on with the development chain:');
  console.log(`       RPC URL  ${chain.rpcUrl}`);
  console.log(`       contract ${chain.contract}`);
  console.log('     The demo sends the anchoring account 1 ETH once the dashboard shows it; then "Anchor now", download a');
  console.log('     receipt in the Access tab and check it: npm run verify-receipt -- <file> --rpc ' + chain.rpcUrl);
  for (const line of researchGuide(citizen.research, 10)) console.log(line);
  console.log(`  OpenID4VCI: the registry's offers (${citizen.registry.url(undefined, '/openid4vci')}) and the ferry company's (${citizen.ferry.url()}):`);
  console.log('     paste one in the dashboard\'s Credentials tab, click its link, or use "Add to Tessera".');
  console.log('Close the browser (or press Ctrl+C) to stop.');
  const stopFunding = fundAnchoringAccounts(browser.context, browser.extensionId, chain, (line) => console.log(line));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    stopFunding();
    await browser.close();
    await Promise.all([server.close(), citizen.registry.close(), citizen.city.close(), citizen.library.close(), closeResearchSites(citizen.research), citizen.ferry.close(), chain.stop()]);
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  await new Promise<void>((r) => browser.context.once('close', () => r()));
  await stop();
}

interface Journey {
  browser?: ExtensionBrowser;
  dir: string;
  shots: number;
}

async function shot(j: Journey, page: Page, name: string): Promise<string> {
  j.shots += 1;
  const file = join(j.dir, `${String(j.shots).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return relative(root, file);
}

let stepNo = 0;
async function step<T>(title: string, run: () => Promise<{ value: T; lines: string[] }>): Promise<T> {
  stepNo += 1;
  const started = performance.now();
  try {
    const { value, lines } = await run();
    const ms = Math.round(performance.now() - started);
    console.log(`${stepNo}. ${title} — ok (${ms} ms)`);
    for (const line of lines) console.log(`     ${line}`);
    return value;
  } catch (error) {
    console.log(`${stepNo}. ${title} — FAILED`);
    console.log(`     ${(error as Error).message.split('\n').join('\n     ')}`);
    throw error;
  }
}

async function loginStatus(page: Page): Promise<string> {
  return (await page.getByTestId('login-status').getAttribute('data-state')) ?? '';
}

async function waitForState(page: Page, states: string[], timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await loginStatus(page);
    if (states.includes(state)) return state;
    if (Date.now() > deadline) {
      const error = (await page.getByTestId('login-error').textContent().catch(() => '')) ?? '';
      throw new Error(`the demo page stayed "${state}" (wanted ${states.join(' or ')})${error ? `: ${error}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function journey(server: DemoServer, citizen: CitizenSites, chain: DevChain): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = resolve(root, 'artifacts', `demo-${stamp}`);
  mkdirSync(dir, { recursive: true });
  const j: Journey = { dir, shots: 0 };
  console.log(`No DISPLAY: walking the login, citizen, library, anchoring and research journeys headless. Screenshots: ${relative(root, dir)}/`);
  console.log('');
  const siteUrl = server.url('127.0.0.1', '/');
  const origin = new URL(siteUrl).origin;

  try {
    const browser = await step('Launch Chromium with Tessera', async () => {
      const b = await launchWithExtension({ extensionDirs: [EXTENSION_DIR] });
      j.browser = b;
      return { value: b, lines: [`extension id ${b.extensionId}`, `demo site ${siteUrl}`] };
    });
    const context = browser.context;
    const id = browser.extensionId;

    await step('Onboarding: create the wallet', async () => {
      const page = await onboard(context, id, DEMO_PASSWORD, { keepOpen: true });
      const file = await shot(j, page, 'onboarding-done');
      await page.close();
      return { value: undefined, lines: ['the install opened the onboarding tab; wallet created and unlocked', `screenshot ${file}`] };
    });

    const site = await step('Open the demo site (Aldmere city services)', async () => {
      const page = await context.newPage();
      await page.goto(siteUrl);
      await page.waitForFunction('document.querySelector("[data-testid=provider-hint]")?.dataset.found === "true"', undefined, {
        timeout: 10_000,
      });
      const file = await shot(j, page, 'site-before-login');
      return { value: page, lines: ['the page found window.tessera', `screenshot ${file}`] };
    });

    const firstDid = await step('Log in with Tessera: the wallet asks, the user approves', async () => {
      const approvalP = waitForApprovalPage(context);
      await site.getByTestId('login-button').click();
      const approval = await approvalP;
      await approval.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });
      const shown = (await approval.getByTestId('approval-origin').textContent())?.trim() ?? '';
      const approvalShot = await shot(j, approval, 'approval-window');
      await approveIn(approval);
      await waitForClose(approval);
      await waitForState(site, ['signed-in', 'error']);
      const did = (await site.getByTestId('login-result').textContent())?.trim() ?? '';
      const verified = server.verifications.at(-1);
      const pageShot = await shot(j, site, 'site-logged-in');
      if (!(await site.getByTestId('login-result').isVisible()) || !did) {
        throw new Error(`not logged in: ${await site.getByTestId('login-error').textContent()}`);
      }
      return {
        value: did,
        lines: [
          `approval window showed the origin: ${shown}`,
          `DID for ${origin}: ${did}`,
          `verified by the site: ${verified?.ok && verified.did === did ? 'yes' : 'NO'} (did-jwt-vc + key-did-resolver, nonce and audience checked)`,
          `screenshots ${approvalShot}, ${pageShot}`,
        ],
      };
    });

    await step('Log in again: silent while the grant is active', async () => {
      await site.getByTestId('logout-button').click();
      await waitForState(site, ['signed-out']);
      const before = server.verifications.length;
      const watch = watchApprovalPages(context);
      await site.getByTestId('login-button').click();
      await waitForState(site, ['signed-in', 'error']);
      await new Promise((r) => setTimeout(r, 1_000));
      watch.stop();
      const did = (await site.getByTestId('login-result').textContent())?.trim() ?? '';
      const verified = server.verifications.slice(before).at(-1);
      if (watch.pages.length > 0) throw new Error('an approval window opened');
      if (did !== firstDid) throw new Error(`another DID came back: ${did}`);
      const file = await shot(j, site, 'site-silent-login');
      return {
        value: undefined,
        lines: [
          'no approval window opened',
          `same DID: yes (${did})`,
          `fresh presentation verified by the site: ${verified?.ok ? 'yes' : 'NO'}`,
          `screenshot ${file}`,
        ],
      };
    });

    const { popup, grantId } = await step('The popup lists the connected site', async () => {
      const page = await context.newPage();
      await page.setViewportSize({ width: 380, height: 600 });
      await page.goto(extensionUrl(id, 'popup/index.html'));
      const row = page.locator('[data-testid^="connected-"]').filter({ hasText: origin.replace('http://', '') });
      await row.first().waitFor({ state: 'visible', timeout: 10_000 });
      const testId = (await row.first().getAttribute('data-testid')) ?? '';
      const state = (await page.getByTestId('lock-state').textContent())?.trim();
      const file = await shot(j, page, 'popup-connected');
      return {
        value: { popup: page, grantId: testId.replace(/^connected-/, '') },
        lines: [`wallet: ${state}`, `connected: ${origin} (grant ${testId.replace(/^connected-/, '')})`, `screenshot ${file}`],
      };
    });

    await step('Disconnect the site from the popup', async () => {
      await popup.getByTestId(`disconnect-${grantId}`).click();
      await popup.getByTestId(`connected-${grantId}`).waitFor({ state: 'detached', timeout: 10_000 });
      const popupShot = await shot(j, popup, 'popup-disconnected');
      await waitForState(site, ['disconnected'], 10_000);
      const status = (await site.getByTestId('login-status').textContent())?.trim();
      const siteShot = await shot(j, site, 'site-disconnected');
      await popup.close();
      return {
        value: undefined,
        lines: ['the grant is revoked; the open tab received grantRevoked', `the site shows: ${status}`, `screenshots ${popupShot}, ${siteShot}`],
      };
    });

    await step('Log in after disconnecting: the wallet asks again', async () => {
      const approvalP = waitForApprovalPage(context);
      await site.getByTestId('login-button').click();
      const approval = await approvalP;
      await approval.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });
      const file = await shot(j, approval, 'approval-again');
      await approveIn(approval);
      await waitForState(site, ['signed-in', 'error']);
      const did = (await site.getByTestId('login-result').textContent())?.trim() ?? '';
      const verified = server.verifications.at(-1);
      const pageShot = await shot(j, site, 'site-logged-in-again');
      return {
        value: undefined,
        lines: [
          'an approval window opened again',
          `DID: ${did} (${did === firstDid ? 'the same pairwise DID as before' : 'a new DID'})`,
          `verified by the site: ${verified?.ok && verified.did === did ? 'yes' : 'NO'}`,
          `screenshots ${file}, ${pageShot}`,
        ],
      };
    });

    await citizenJourney(j, context, id, citizen);
    await libraryJourney(j, context, id, citizen.library);
    await anchoringJourney(walkOf(j), context, id, citizen.library, chain);
    await researchJourney(walkOf(j), context, id, citizen.research);
    await openid4vciJourney(walkOf(j), context, id, citizen.registry, citizen.ferry);

    console.log('');
    console.log(`All steps passed. Screenshots in ${relative(root, dir)}/`);
  } catch (error) {
    await failureShots(j, j.browser?.context);
    console.log('');
    console.log(`The journey failed at step ${stepNo}. Screenshots so far in ${relative(root, dir)}/`);
    process.exitCode = 1;
    if (process.env.DEBUG) console.error(error);
  } finally {
    await j.browser?.close();
  }
}

// ---------------------------------------------------------------------------
// The citizen journey: the civic registry issues, the city asks and verifies
// ---------------------------------------------------------------------------

async function citizenJourney(j: Journey, context: BrowserContext, id: string, { registry, city }: CitizenSites): Promise<void> {
  const registryOrigin = registry.origin();
  const cityOrigin = city.origin();

  await step('Dashboard: trust the Aldmere Civic Registry as an issuer', async () => {
    const page = await context.newPage();
    await page.goto(extensionUrl(id, 'dashboard/index.html'));
    await page.getByTestId('trust-did').fill(registry.did);
    await page.getByTestId('trust-label').fill('Aldmere Civic Registry');
    await page.getByTestId('trust-add').click();
    await page.getByTestId(`trusted-${registry.did}`).waitFor({ timeout: 10_000 });
    const file = await shot(j, page, 'dashboard-trusted-issuer');
    await page.close();
    return { value: undefined, lines: [`trusted issuer ${registry.did}`, `screenshot ${file}`] };
  });

  const registryPage = await step('Civic registry: connect the wallet, the registry issues two credentials', async () => {
    const page = await context.newPage();
    await page.goto(registry.url());
    await page.waitForFunction('document.querySelector("[data-testid=provider-hint]")?.dataset.found === "true"', undefined, {
      timeout: 10_000,
    });
    const approvalP = waitForApprovalPage(context);
    await page.getByTestId('issue-button').click();
    const approval = await approvalP;
    await approveIn(approval);
    await waitForClose(approval);
    const state = await waitForAttr(page, 'issue-status', ['issued', 'error']);
    if (state !== 'issued') throw new Error(`not issued: ${await page.getByTestId('registry-error').textContent()}`);
    const holder = (await page.getByTestId('holder-did').textContent())?.trim() ?? '';
    const file = await shot(j, page, 'registry-issued');
    const issued = registry.issuer.issued.filter((c) => c.holder === holder);
    return {
      value: page,
      lines: [
        `the wallet's DID for ${registryOrigin}: ${holder}`,
        ...issued.map((c) => `${c.kind}: ${c.format}, signed by ${registry.did}, status ${c.statusList} list index ${c.statusIndex}`),
        `screenshot ${file}`,
      ],
    };
  });

  const offer = async (kind: 'resident' | 'pid', name: string) => {
    const approvalP = waitForApprovalPage(context);
    await registryPage.getByTestId(`offer-${kind}`).click();
    const approval = await approvalP;
    await approval.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });
    const trust = (await approval.getByTestId('issuer-trust').textContent())?.trim() ?? '';
    const status = (await approval.getByTestId('credential-status').textContent())?.trim() ?? '';
    const claims = await approval.locator('[data-testid^="offer-claim-"]').count();
    const offerShot = await shot(j, approval, `offer-${kind}`);
    await approveIn(approval);
    await waitForClose(approval);
    const state = await waitForAttr(registryPage, `offer-result-${kind}`, ['stored', 'declined', 'error']);
    const result = (await registryPage.getByTestId(`offer-result-${kind}`).textContent())?.trim() ?? '';
    if (state !== 'stored') throw new Error(`the ${name} was not stored: ${result}`);
    return { lines: [`the offer window showed: issuer ${trust}, status ${status}, ${claims} claims`, result, `screenshot ${offerShot}`] };
  };

  await step('The registry offers the resident card (JWT VC): the wallet shows issuer, trust, status and claims; keep it', async () => ({
    value: undefined,
    lines: (await offer('resident', 'resident card')).lines,
  }));

  await step('The registry offers the personal ID (SD-JWT VC); keep it', async () => {
    const { lines } = await offer('pid', 'PID');
    const file = await shot(j, registryPage, 'registry-offered');
    return { value: undefined, lines: [...lines, `screenshot ${file}`] };
  });

  const cityPage = await step('City services asks through the Digital Credentials API: the consent screen', async () => {
    const page = await context.newPage();
    await page.goto(city.url());
    const before = await shot(j, page, 'city-before');
    const approvalP = waitForApprovalPage(context);
    await page.getByTestId('dc-request-button').click();
    const approval = await approvalP;
    await approval.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });
    const shown = (await approval.getByTestId('approval-origin').textContent())?.trim() ?? '';
    // The user keeps given name and over-18, and withholds the family name.
    await approval.getByTestId('claim-family_name').uncheck();
    const consentShot = await shot(j, approval, 'consent-screen');
    await approveIn(approval);
    await waitForClose(approval);
    return {
      value: page,
      lines: [
        `navigator.credentials.get({ digital: { requests: [{ protocol: 'openid4vp-v1-unsigned', data } ] } }) from ${cityOrigin}`,
        `the consent window showed the site ${shown}; claims given_name, family_name, age_over_18 — family_name withheld`,
        `screenshots ${before}, ${consentShot}`,
      ],
    };
  });

  await step('The city verified the presentation with independent libraries', async () => {
    const state = await waitForAttr(cityPage, 'dc-status', ['verified', 'error', 'cancelled']);
    const file = await shot(j, cityPage, 'city-verified');
    if (state !== 'verified') throw new Error(`not verified: ${await cityPage.getByTestId('verify-error').textContent()}`);
    const v = city.verifications.at(-1);
    const answer = v?.answers?.[0];
    return {
      value: undefined,
      lines: [
        `received: ${JSON.stringify(answer?.claims)} (not shared: ${answer?.missing.join(', ') || 'nothing'})`,
        `checked with @sd-jwt/sd-jwt-vc: issuer ${answer?.issuer}, key binding to ${answer?.audience} and the request's nonce, status list ${answer?.status}`,
        `screenshot ${file}`,
      ],
    };
  });

  await step('The registry revokes the PID; the dashboard shows it revoked', async () => {
    const stored = (await registryPage.getByTestId('offer-result-pid').textContent()) ?? '';
    const pidId = /id ([A-Za-z0-9_-]+)/.exec(stored)?.[1];
    if (!pidId) throw new Error(`the registry page does not show the PID's wallet id (${stored})`);
    await registryPage.getByTestId('revoke-pid').click();
    await waitForAttr(registryPage, 'status-pid', ['revoked']);
    const registryShot = await shot(j, registryPage, 'registry-revoked');
    await new Promise((r) => setTimeout(r, 1_200)); // the status list's ttl
    const dashboard = await context.newPage();
    await dashboard.goto(extensionUrl(id, 'dashboard/index.html'));
    await dashboard.getByTestId(`credential-${pidId}`).click({ timeout: 10_000 });
    await dashboard.getByTestId(`refresh-status-${pidId}`).click({ timeout: 10_000 });
    const badge = dashboard.getByTestId(`credential-status-${pidId}`).first();
    let state = '';
    for (let i = 0; i < 150 && state !== 'revoked'; i++) {
      state = ((await badge.textContent()) ?? '').trim();
      if (state !== 'revoked') await new Promise((r) => setTimeout(r, 100));
    }
    const dashboardShot = await shot(j, dashboard, 'dashboard-revoked');
    await dashboard.close();
    if (state !== 'revoked') throw new Error(`the dashboard shows the PID as "${state}"`);
    return {
      value: undefined,
      lines: [`registry: PID bit set in ${registryOrigin}/status/token`, 'dashboard: "Check now" → revoked', `screenshots ${registryShot}, ${dashboardShot}`],
    };
  });

  await step('The city asks again: the revoked PID is not offered; the page gets NotAllowedError', async () => {
    const watch = watchApprovalPages(context);
    await cityPage.getByTestId('dc-request-button').click();
    let state = '';
    let windowShot = '';
    for (let i = 0; i < 300; i++) {
      state = (await cityPage.getByTestId('dc-status').getAttribute('data-state')) ?? '';
      if (state !== 'pending') break;
      const window = watch.pages.find((p) => !p.isClosed());
      if (window && (await window.getByTestId('reject').isVisible().catch(() => false))) {
        // The wallet says so in a window (a site cannot tell "nothing matches" from "declined").
        const offered = await window.locator('[data-testid^="claim-"]').count();
        windowShot = await shot(j, window, 'consent-nothing-matches');
        if (offered > 0) throw new Error('the wallet offered claims from a revoked credential');
        await window.getByTestId('reject').click().catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    watch.stop();
    const cityShot = await shot(j, cityPage, 'city-nothing-to-share');
    if (state !== 'cancelled') throw new Error(`the city page shows "${state}" instead of a cancelled request`);
    return {
      value: undefined,
      lines: [
        'the wallet offered nothing; navigator.credentials.get rejected with NotAllowedError',
        `screenshots ${[windowShot, cityShot].filter(Boolean).join(', ')}`,
      ],
    };
  });
}

// ---------------------------------------------------------------------------
// The library journey: a data-access grant, reads under it, revocation
// ---------------------------------------------------------------------------

/**
 * A screenshot of one part of a page (a dashboard tab's section), clipped from the whole
 * page: an element screenshot waits for the part to be "stable", which a page that
 * re-renders on its own polls may never be.
 */
async function shotOf(j: Journey, part: Locator, name: string): Promise<string> {
  const page = part.page();
  await page.bringToFront();
  const box = (await part.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
  })) as { x: number; y: number; width: number; height: number };
  j.shots += 1;
  const file = join(j.dir, `${String(j.shots).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true, clip: box });
  return relative(root, file);
}

/** What the walk's parts in scripts/lib get: its numbered steps and screenshots. */
const walkOf = (j: Journey): DemoWalk => ({ step, shot: (page, name) => shot(j, page, name), shotOf: (part, name) => shotOf(j, part, name), dir: j.dir });

const textOf = async (page: Page, testId: string) => (await page.getByTestId(testId).first().innerText()).replace(/\s+/g, ' ').trim();

async function libraryJourney(j: Journey, context: BrowserContext, id: string, library: LibraryServer): Promise<void> {
  const libraryOrigin = library.origin();

  const libraryPage = await step('City library asks for a year\'s access to residency: the consent window', async () => {
    const page = await context.newPage();
    await page.goto(library.url());
    await page.waitForFunction('document.querySelector("[data-testid=provider-hint]")?.dataset.found === "true"', undefined, {
      timeout: 10_000,
    });
    await recordProviderEvents(page, ['grantRevoked', 'grantExpired']);
    const before = await shot(j, page, 'library-before');
    const approvalP = waitForApprovalPage(context);
    await page.getByTestId('join-button').click();
    const approval = await approvalP;
    await approval.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });
    const shown = await textOf(approval, 'approval-origin');
    const requester = await textOf(approval, 'requester-unverified').catch(() => '');
    const purpose = await textOf(approval, 'purpose-dpv:ServiceProvision').catch(() => '');
    await approval.locator('[data-testid="approve"]:not([disabled])').waitFor({ timeout: 15_000 });
    const consentShot = await tallShot(walkOf(j), approval, 'consent-data-access');
    await approveIn(approval);
    await waitForClose(approval);
    return {
      value: page,
      lines: [
        `wallet_requestDataAccess from ${libraryOrigin}: purpose dpv:ServiceProvision, the resident card's name and address, 365 days`,
        `the consent window showed the site ${shown}${requester ? `; requester: ${requester}` : ''}${purpose ? `; purpose: ${purpose}` : ''}`,
        `screenshots ${before}, ${consentShot}`,
      ],
    };
  });

  const grantId = await step('The library verified the resident card and the consent receipt, and keeps the grant id', async () => {
    const state = await waitForAttr(libraryPage, 'library-status', ['member', 'declined', 'error']);
    const file = await shot(j, libraryPage, 'library-member');
    if (state !== 'member') throw new Error(`no library card: ${await textOf(libraryPage, 'library-error')}`);
    const v = library.verifications.filter((x) => x.kind === 'grant' && x.ok).at(-1);
    if (!v?.grantId || !v.receipt) throw new Error('the library recorded no verified grant');
    return {
      value: v.grantId,
      lines: [
        `card holder ${await textOf(libraryPage, 'member-name')}, ${await textOf(libraryPage, 'member-address')}`,
        `grant ${v.grantId}, ends ${v.receipt.grant.expiresAt}`,
        `presentation checked with did-jwt-vc for ${v.answers?.[0]?.audience} and the request's nonce; resident card status ${v.answers?.[0]?.status}`,
        `consent receipt (JWT VC ConsentReceipt) signed by the pairwise DID ${v.receipt.issuer}; purposes ${v.receipt.grant.purposes.join(', ')}; no claim values in it`,
        `screenshot ${file}`,
      ],
    };
  });

  await step('"Renew my library card": the library reads under the grant, no window', async () => {
    const before = library.verifications.length;
    const watch = watchApprovalPages(context);
    await libraryPage.getByTestId('renew-button').click();
    const state = await waitForAttr(libraryPage, 'library-status', ['renewed', 'revoked', 'error']);
    await new Promise((r) => setTimeout(r, 500));
    watch.stop();
    const file = await shot(j, libraryPage, 'library-renewed');
    if (watch.pages.length > 0) throw new Error('an approval window opened');
    if (state !== 'renewed') throw new Error(`not renewed: ${await textOf(libraryPage, 'library-error')}`);
    const renew = library.verifications.slice(before).find((x) => x.kind === 'renew');
    const grantNonce = library.verifications.find((x) => x.grantId === grantId && x.kind === 'grant')?.nonce;
    if (!renew?.ok) throw new Error(`the library could not verify the read: ${renew?.error}`);
    return {
      value: undefined,
      lines: [
        'wallet_accessData { grantId, nonce }: no approval window opened',
        `a fresh nonce (${renew.nonce === grantNonce ? 'the SAME as the grant\'s' : 'not the grant\'s'}), presentation verified for ${renew.answers?.[0]?.audience}`,
        `screenshot ${file}`,
      ],
    };
  });

  const dashboard = await step('Dashboard, Access tab: who has access to what, until when', async () => {
    const page = await context.newPage();
    await page.goto(extensionUrl(id, 'dashboard/index.html'));
    await page.getByTestId('tab-access').click({ timeout: 10_000 });
    await page.getByTestId(`grant-${grantId}`).waitFor({ timeout: 10_000 });
    const file = await shotOf(j, page.locator('#access'), 'access-before-revoke');
    return {
      value: page,
      lines: [
        `${await textOf(page, 'access-summary')}; the library's grant is ${await textOf(page, `status-${grantId}`)}, last access ${await textOf(page, `last-access-${grantId}`)}`,
        `screenshot ${file}`,
      ],
    };
  });

  await step('Revoke the library\'s grant in the Access tab (one click and a confirm); the open library page hears it at once', async () => {
    await dashboard.getByTestId(`revoke-${grantId}`).click();
    await dashboard.getByTestId('confirm').waitFor({ state: 'visible', timeout: 10_000 });
    const confirmShot = await shotOf(j, dashboard.locator('#access'), 'access-confirm-revoke');
    const clicked = Date.now();
    await dashboard.getByTestId('confirm').click();
    await dashboard.getByTestId(`revoke-${grantId}`).waitFor({ state: 'detached', timeout: 10_000 });
    const afterShot = await shotOf(j, dashboard.locator('#access'), 'access-after-revoke');
    const event = await waitForProviderEvent(libraryPage, 'grantRevoked', {
      timeoutMs: 10_000,
      predicate: (data) => (data as { grantId?: unknown } | null)?.grantId === grantId,
    });
    const heard = event.at - clicked;
    await waitForAttr(libraryPage, 'library-status', ['revoked'], 10_000);
    const reason = await libraryPage.getByTestId('library-status').getAttribute('data-reason');
    const siteShot = await shot(j, libraryPage, 'library-access-revoked');
    if (reason !== 'grantRevoked') throw new Error(`the library page ended access for "${reason}", not the grantRevoked event`);
    return {
      value: undefined,
      lines: [
        `the grant now reads: ${await textOf(dashboard, `status-${grantId}`)}`,
        `the library page received grantRevoked { grantId } ${heard} ms after the confirm and shows: ${await textOf(libraryPage, 'library-status')}`,
        `screenshots ${confirmShot}, ${afterShot}, ${siteShot}`,
      ],
    };
  });

  await step('The library tries to renew again: the wallet refuses (4100)', async () => {
    const before = library.verifications.length;
    await libraryPage.getByTestId('renew-button').click();
    const state = await waitForAttr(libraryPage, 'access-result', ['refused', 'verified', 'error']);
    const file = await shot(j, libraryPage, 'library-refused-4100');
    if (state !== 'refused') throw new Error(`the read was not refused: ${await textOf(libraryPage, 'access-result')}`);
    if (library.verifications.length !== before) throw new Error('the library received a presentation after the revocation');
    return {
      value: undefined,
      lines: [`the library page shows: ${await textOf(libraryPage, 'access-result')}`, 'nothing reached the library server', `screenshot ${file}`],
    };
  });

  await step('Dashboard, Activity tab: the timeline and its integrity state', async () => {
    await dashboard.getByTestId('tab-activity').click();
    // Checked again now, so the check covers the revocation and the refused read.
    await dashboard.getByTestId('verify-ledger').click();
    await waitForAttr(dashboard, 'ledger-integrity', ['intact', 'broken', 'error'], 15_000);
    // The state may still be the first check's: wait (a while) for the one that covers every entry listed.
    const count = await textOf(dashboard, 'activity-count').catch(() => '');
    const listed = /^(\d[\d,]*) entr/.exec(count)?.[1];
    let integrity = await textOf(dashboard, 'ledger-integrity');
    for (let i = 0; listed && !integrity.includes(`${listed} entr`) && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      integrity = await textOf(dashboard, 'ledger-integrity');
    }
    const file = await shotOf(j, dashboard.locator('#activity'), 'activity-timeline');
    const state = await dashboard.getByTestId('ledger-integrity').getAttribute('data-state');
    await dashboard.close();
    if (state !== 'intact') throw new Error(`the activity log is not intact: ${integrity}`);
    return { value: undefined, lines: [`integrity: ${integrity}`, ...(count ? [count] : []), `screenshot ${file}`] };
  });
}

async function failureShots(j: Journey, context: BrowserContext | undefined): Promise<void> {
  if (!context) return;
  for (const page of context.pages()) {
    if (page.isClosed() || page.url() === 'about:blank') continue;
    const name = `failure-${new URL(page.url()).pathname.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'page'}`;
    await shot(j, page, name).catch(() => undefined);
  }
}

build();
const server = await startDemoServer();
const registry = await startRegistry();
const city = await startCity({ trustedIssuers: [{ did: registry.did, name: 'Aldmere Civic Registry' }] });
const library = await startLibrary({ trustedIssuers: [registry.did] });
const chain = await startDevChain();
const research = await startResearchSites(chain.rpcUrl);
const ferry = await startLibraryIssuer();
console.log(`Demo site: ${server.url()} (also ${server.url('localhost')})`);
console.log(`Civic registry (issuer): ${registry.url()} — ${registry.did}`);
console.log(`City services (Digital Credentials API): ${city.url()}`);
console.log(`City library (data-access grants): ${library.url()}`);
console.log(`Registry OpenID4VCI offers: ${registry.url(undefined, '/openid4vci')}; ferry company (issuer on @openid4vc/openid4vci): ${ferry.url()}`);
for (const line of researchSiteLines(research)) console.log(line);
console.log(`Development chain ${chain.chainId}: ${chain.rpcUrl}, TesseraAnchor at ${chain.contract}`);
try {
  if (process.env.DISPLAY && !args.has('--headless')) await interactive(server, { registry, city, library, research, ferry }, chain);
  else await journey(server, { registry, city, library, research, ferry }, chain);
} finally {
  await Promise.all([server.close(), registry.close(), city.close(), library.close(), closeResearchSites(research), ferry.close(), chain.stop()]);
}
process.exit(process.exitCode ?? 0);
