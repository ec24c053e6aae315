import { beforeEach, describe, expect, it } from 'vitest';
import { makeTestPorts } from '../../../test/support/test-ports.ts';
import { Wallet } from '../../core/wallet/wallet.ts';
import { routePageMessage } from './page-router.ts';

const SITE = 'http://127.0.0.1:8080';
let wallet: Wallet;
let ports: ReturnType<typeof makeTestPorts>;

const rpc = (request: unknown, requestId = crypto.randomUUID()) => ({ channel: 'page', type: 'rpc', requestId, request });

beforeEach(async () => {
  ports = makeTestPorts();
  wallet = new Wallet(ports);
  await wallet.locking.create('correct horse battery');
});

describe('page router (untrusted tier)', () => {
  it.each([
    ['not an object', 'hello'],
    ['no request id', { channel: 'page', type: 'rpc', request: { method: 'wallet_getGrants' } }],
    ['a short request id', { channel: 'page', type: 'rpc', requestId: 'x', request: {} }],
    ['an unknown type', { channel: 'page', type: 'admin', requestId: crypto.randomUUID() }],
    ['an extra field such as an origin', { ...rpc({ method: 'wallet_getGrants' }), origin: 'https://evil.example' }],
  ])('refuses a malformed envelope (%s) with -32600', async (_label, message) => {
    expect(await routePageMessage(wallet, SITE, message)).toEqual({
      ok: false,
      error: { code: -32600, message: 'Malformed request envelope.' },
    });
  });

  it.each([
    ['request not an object', 'wallet_getGrants', 'Invalid params: request must be an object with a method'],
    ['method missing', {}, 'Invalid params: request.method: is required'],
    ['method not a string', { method: 42 }, 'Invalid params: request.method: must be a string'],
    ['method empty', { method: '' }, 'Invalid params: request.method: must not be empty'],
    ['an extra field', { method: 'wallet_getGrants', origin: 'https://evil.example' }, 'Invalid params: request.origin: is not an accepted field'],
  ])('answers -32602 naming the field when %s', async (_label, request, message) => {
    expect(await routePageMessage(wallet, SITE, rpc(request))).toEqual({ ok: false, error: { code: -32602, message } });
  });

  it('answers 4200 for methods it does not serve, including inherited names', async () => {
    for (const method of ['eth_requestAccounts', 'toString', '__proto__', 'constructor']) {
      expect(await routePageMessage(wallet, SITE, rpc({ method }))).toEqual({
        ok: false,
        error: { code: 4200, message: `Unsupported method: ${method}` },
      });
    }
  });

  it('validates params before anything happens: no approval opens for bad input', async () => {
    const reply = await routePageMessage(wallet, SITE, rpc({ method: 'wallet_requestIdentity', params: { nonce: 'abcdefgh1', origin: 'https://bank.example' } }));
    expect(reply).toEqual({ ok: false, error: { code: -32602, message: 'Invalid params: params.origin: is not an accepted field' } });
    expect(ports.presenter.opened).toEqual([]);
  });

  it('serves wallet_getGrants for the sender origin', async () => {
    expect(await routePageMessage(wallet, SITE, rpc({ method: 'wallet_getGrants' }))).toEqual({ ok: true, result: [] });
    expect(await routePageMessage(wallet, SITE, rpc({ method: 'wallet_getGrants', params: { all: true } }))).toEqual({
      ok: false,
      error: { code: -32602, message: 'Invalid params: params: must be absent' },
    });
  });

  it('never leaks internal error details', async () => {
    ports.session.get = async () => {
      throw new Error('disk exploded at /secret/path');
    };
    const reply = await routePageMessage(wallet, SITE, rpc({ method: 'wallet_requestIdentity', params: { nonce: 'abcdefgh1' } }));
    expect(reply).toEqual({ ok: false, error: { code: -32603, message: 'Internal wallet error.' } });
  });
});

describe('page router: domain errors as a site sees them', () => {
  it('maps each domain code to its RPC code, and keeps internals out', async () => {
    const { domainToRpc } = await import('./rpc-errors.ts');
    expect(domainToRpc('user_rejected', 'User rejected the request.')).toEqual({ code: 4001, message: 'User rejected the request.' });
    expect(domainToRpc('pending', 'busy')).toEqual({ code: -32002, message: 'busy' });
    expect(domainToRpc('unauthorized', 'Unknown grant.')).toEqual({ code: 4100, message: 'Unknown grant.' });
    expect(domainToRpc('not_found', 'No such grant.')).toEqual({ code: 4100, message: 'No such grant.' });
    expect(domainToRpc('locked', 'locked')).toEqual({ code: 4900, message: 'locked' });
    expect(domainToRpc('invalid_input', 'params.x: bad')).toEqual({ code: -32602, message: 'Invalid params: params.x: bad' });
    expect(domainToRpc('invalid_credential', 'invalid credential')).toEqual({ code: -32602, message: 'Invalid params: params.credential: invalid credential' });
    expect(domainToRpc('wrong_password', 'wrong')).toEqual({ code: -32603, message: 'Internal wallet error.' });
  });

  it('marks a re-attach to an unknown request, so the content script re-sends by a field, not by message text', async () => {
    const reply = await routePageMessage(wallet, SITE, { channel: 'page', type: 'await', requestId: crypto.randomUUID() });
    expect(reply).toMatchObject({ ok: false, unknownRequest: true, error: { code: -32603 } });
  });

  it('answers -32002 to a second pending request of the same kind from the same origin', async () => {
    const first = routePageMessage(wallet, SITE, rpc({ method: 'wallet_requestIdentity', params: { nonce: 'abcdefgh1' } }));
    await ports.presenter.nextApproval();
    expect(await routePageMessage(wallet, SITE, rpc({ method: 'wallet_requestIdentity', params: { nonce: 'abcdefgh2' } }))).toMatchObject({
      ok: false,
      error: { code: -32002 },
    });
    await wallet.desk.resolve(ports.presenter.opened[0]!, 'reject');
    expect(await first).toEqual({ ok: false, error: { code: 4001, message: 'User rejected the request.' } });
  });
});

describe('page router: bounds on what a page sends', () => {
  it('refuses a request over 64 KiB with -32602 before anything is stored', async () => {
    const before = JSON.stringify(ports.session.dump());
    const reply = await routePageMessage(wallet, SITE, rpc({ method: 'wallet_offerCredential', params: { credential: 'x'.repeat(70 * 1024) } }));
    expect(reply).toMatchObject({ ok: false, error: { code: -32602 } });
    expect(JSON.stringify(ports.session.dump())).toBe(before);
    expect(ports.presenter.opened).toEqual([]);
  });

  it('answers -32602, never -32603, to 10,000-deep nesting', async () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const reply = await routePageMessage(wallet, SITE, rpc({ method: 'wallet_requestCredentials', params: { nonce: 'abcdefgh1', deep } }));
    expect(reply).toMatchObject({ ok: false, error: { code: -32602 } });
  });
});
