/**
 * The properties at the wallet's two message boundaries, shared by the vitest suites
 * and the bench's heavy mode. For every generated message, on a fresh copy of the
 * fixture wallet (created and unlocked, locked, or not created):
 *   - the router answers (no throw, no unhandled rejection, no hang);
 *   - never an internal error (-32603 for pages, `internal` for the UI), also not in
 *     the approval window the message may have opened;
 *   - an error answer leaves both stores exactly as they were, and sends no event;
 *   - a page message never restarts the auto-lock countdown (only user actions do).
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { CONNECTED_ORIGIN, STRANGER_ORIGIN, fixture, type Fixture } from './fixture.ts';
import { drain, newWorld, type Boundary, sendPage, sendUi, stateOf, takeUnhandled, watchUnhandledRejections, type Seed, type World, type WorldState } from './harness.ts';
import { overTheWire } from './arbitraries.ts';
import { pageMessage, uiCommand } from './messages.ts';

const RPC_INTERNAL = -32603;
const WALLET_STATES = ['unlocked', 'locked', 'empty'] as const;
/** The UI also meets wallets with an approval waiting (resolveApproval, getApproval). */
const UI_STATES = [...WALLET_STATES, 'pending identity', 'pending offer', 'pending credentials'] as const;
export type UiState = (typeof UI_STATES)[number];
/** Wrong passwords are refused and counted: the throttle's record is meant to change. */
const UI_CODES_THAT_RECORD = new Set(['wrong_password']);

export type WalletState = (typeof WALLET_STATES)[number];
export const walletState = fc.constantFrom(...WALLET_STATES);
export const pageOrigin = fc.constantFrom(STRANGER_ORIGIN, CONNECTED_ORIGIN);

export async function pageBoundary(): Promise<Boundary<[WalletState, string, unknown]>> {
  const fx = await fixture();
  watchUnhandledRejections();
  return {
    name: 'page messages',
    input: fc.tuple(walletState, pageOrigin, pageMessage(fx)),
    check: ([state, from, message]) => checkPageMessage(fx, state, from, message),
  };
}

/** One page message on a fresh copy of the fixture wallet; throws what went wrong. */
export async function checkPageMessage(fx: Fixture, state: WalletState, from: string, message: unknown): Promise<string> {
  const world = await newWorld(seedFor(fx, state));
  const before = await stateOf(world);
  const reply = await sendPage(world, from, overTheWire(message));
  await settleWindows(world);
  if (typeof reply !== 'object' || reply === null || typeof reply.ok !== 'boolean') fail('the reply is not { ok, … }', reply);
  if (!reply.ok) {
    if (typeof reply.error?.code !== 'number' || typeof reply.error.message !== 'string') fail('the error is not { code, message }', reply);
    if (reply.error.code === RPC_INTERNAL && reply.unknownRequest !== true) fail('internal error (-32603)', reply);
    await expectUnchanged(world, before, reply);
    if (world.ports.events.sent.length > 0) fail('an error answer sent events', world.ports.events.sent);
  }
  checkWindowReplies(world);
  if (world.autoLockRestarts > 0) fail(`a page message restarted the auto-lock timer (${world.autoLockRestarts}×)`, reply);
  checkUnhandled();
  return `${reply.ok ? 'ok' : reply.error.code}${world.presenter.opened.length > 0 ? ' after a window' : ''}`;
}

export async function uiBoundary(): Promise<Boundary<[UiState, unknown]>> {
  const fx = await fixture();
  watchUnhandledRejections();
  return { name: 'UI commands', input: fc.tuple(fc.constantFrom(...UI_STATES), uiCommand(fx)), check: ([state, body]) => checkUiCommand(fx, state, body) };
}

/** One UI command on a fresh copy of the fixture wallet; throws what went wrong. */
export async function checkUiCommand(fx: Fixture, state: UiState, body: unknown): Promise<string> {
  const world = await newWorld(seedFor(fx, state));
  const before = await stateOf(world);
  const reply = await sendUi(world, overTheWire(body));
  await settleWindows(world);
  if (typeof reply !== 'object' || reply === null || typeof reply.ok !== 'boolean') fail('the reply is not { ok, … }', reply);
  if (!reply.ok) {
    if (reply.error.code === 'internal') fail("internal error ('internal')", reply);
    if (!UI_CODES_THAT_RECORD.has(reply.error.code)) await expectUnchanged(world, before, reply);
  }
  checkWindowReplies(world);
  checkUnhandled();
  return reply.ok ? 'ok' : reply.error.code;
}

export function seedFor(fx: Fixture, state: UiState): Seed {
  switch (state) {
    case 'unlocked':
      return fx.unlocked;
    case 'locked':
      return fx.locked;
    case 'empty':
      return fx.empty;
    case 'pending identity':
      return fx.pending.identity;
    case 'pending offer':
      return fx.pending.offer;
    case 'pending credentials':
      return fx.pending.credentials;
  }
}

/** The presenter decides on a timer; let every window it opened settle. */
async function settleWindows(world: World): Promise<void> {
  for (let i = 0; i < 100 && world.presenter.deciding > 0; i++) await drain();
  await drain();
}

function checkWindowReplies(world: World): void {
  const internal = world.presenter.windowReplies.find((r) => !r.ok && r.error.code === 'internal');
  if (internal) fail('the approval window got an internal error', internal);
}

function checkUnhandled(): void {
  const unhandled = takeUnhandled();
  if (unhandled.length > 0) fail('unhandled rejection', unhandled.map(String));
}

async function expectUnchanged(world: World, before: WorldState, reply: unknown): Promise<void> {
  const after = await stateOf(world);
  if (isDeepStrictEqual(before, after)) return;
  fail(`an error answer changed state (${changedKeys(before, after).join(', ')})`, reply);
}

function changedKeys(before: WorldState, after: WorldState): string[] {
  const keys = (s: WorldState) => [...Object.keys(s.store).map((k) => `store.${k}`), ...Object.keys(s.session).map((k) => `session.${k}`)];
  const value = (s: WorldState, key: string) => {
    const [part, name] = key.split('.') as ['store' | 'session', string];
    return s[part][name];
  };
  return [...new Set([...keys(before), ...keys(after)])].filter((k) => !isDeepStrictEqual(value(before, k), value(after, k)));
}

export function fail(what: string, detail: unknown): never {
  const text = JSON.stringify(detail, (_k, v: unknown) => (typeof v === 'string' && v.length > 300 ? `${v.slice(0, 300)}…(${v.length} chars)` : v));
  throw new Error(`${what}: ${text?.slice(0, 2000)}`);
}
