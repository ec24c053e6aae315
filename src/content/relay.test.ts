import { describe, expect, it } from 'vitest';
import type { BackgroundReply, ContentToBackground } from '../protocol/envelope.ts';
import { MAX_REATTACH, relayRequest, type RelayRuntime } from './relay.ts';

/** A runtime whose worker answers from a script: each entry is a reply, or an Error to throw. */
function fakeRuntime(script: (BackgroundReply | Error | undefined)[]) {
  const sent: ContentToBackground[] = [];
  const runtime: RelayRuntime = {
    sendMessage: async (message) => {
      sent.push(message);
      const next = script.length > 0 ? script.shift() : new Error('Could not establish connection. Receiving end does not exist.');
      if (next instanceof Error) throw next;
      return next;
    },
    newRequestId: () => 'request-0123456789abcdef',
    sleep: async () => undefined,
  };
  return { runtime, sent };
}

const identity = { method: 'wallet_requestIdentity', params: { nonce: 'abcdefgh1' } };
const broken = () => new Error('Could not establish connection. Receiving end does not exist.');

describe('relayRequest (the content script bridge)', () => {
  it('forwards a request and relays the answer', async () => {
    const { runtime, sent } = fakeRuntime([{ ok: true, result: { did: 'did:key:z6Mk' } }]);
    expect(await relayRequest(runtime, identity)).toEqual({ ok: true, result: { did: 'did:key:z6Mk' } });
    expect(sent).toEqual([{ channel: 'page', type: 'rpc', requestId: 'request-0123456789abcdef', request: identity }]);
  });

  it('refuses a request over 64 KiB with -32602 and forwards nothing', async () => {
    const { runtime, sent } = fakeRuntime([{ ok: true, result: { id: 'stored' } }]);
    const reply = await relayRequest(runtime, { method: 'wallet_offerCredential', params: { credential: 'x'.repeat(70 * 1024) } });
    expect(reply).toEqual({ ok: false, error: { code: -32602, message: 'Invalid params: request: is too large (over 64 KiB as JSON)' } });
    expect(sent).toEqual([]);
  });

  it('refuses 100,000-deep nesting and 100,000-member arrays with -32602 naming the field, forwarding nothing', async () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const { runtime, sent } = fakeRuntime([]);
    const tooDeep = await relayRequest(runtime, { method: 'wallet_requestCredentials', params: { dcql_query: deep } });
    expect(tooDeep).toEqual({
      ok: false,
      error: { code: -32602, message: `Invalid params: request.params.dcql_query${'[0]'.repeat(30)}: is nested deeper than 32 levels` },
    });
    const tooMany = await relayRequest(runtime, { method: 'wallet_requestCredentials', params: { credentials: Array.from({ length: 100_000 }, () => 0) } });
    expect(tooMany).toEqual({ ok: false, error: { code: -32602, message: 'Invalid params: request.params.credentials: has more than 1024 members' } });
    expect(sent).toEqual([]);
  });

  it('re-attaches when the worker stopped holding the message (no answer at all), instead of failing the page with -32603', async () => {
    const { runtime, sent } = fakeRuntime([undefined, { ok: true, result: 'answered after the restart' }]);
    expect(await relayRequest(runtime, identity)).toEqual({ ok: true, result: 'answered after the restart' });
    expect(sent.map((m) => m.type)).toEqual(['rpc', 'await']);
  });

  it('re-attaches after a broken channel and re-sends once when the worker marks the request unknown', async () => {
    const { runtime, sent } = fakeRuntime([
      broken(),
      // Whatever the wording, the field says the worker never saw the request.
      { ok: false, error: { code: -32603, message: 'Request not found (reworded)' }, unknownRequest: true },
      { ok: true, result: 'answered' },
    ]);
    expect(await relayRequest(runtime, identity)).toEqual({ ok: true, result: 'answered' });
    expect(sent.map((m) => m.type)).toEqual(['rpc', 'await', 'rpc']);
  });

  it('does not re-send on an error that merely reads like "unknown request"', async () => {
    const reply: BackgroundReply = { ok: false, error: { code: -32603, message: 'Unknown or expired request.' } };
    const { runtime, sent } = fakeRuntime([broken(), reply]);
    expect(await relayRequest(runtime, identity)).toEqual(reply);
    expect(sent.map((m) => m.type)).toEqual(['rpc', 'await']);
  });

  it('re-sends at most once, then relays the answer', async () => {
    const unknown: BackgroundReply = { ok: false, error: { code: -32603, message: 'x' }, unknownRequest: true };
    const { runtime, sent } = fakeRuntime([broken(), unknown, broken(), unknown]);
    expect(await relayRequest(runtime, identity)).toEqual(unknown);
    expect(sent.map((m) => m.type)).toEqual(['rpc', 'await', 'rpc', 'await']);
  });

  it('gives up after the re-attach budget, and says so when the extension went away', async () => {
    const { runtime, sent } = fakeRuntime([]);
    expect(await relayRequest(runtime, identity)).toEqual({ ok: false, error: { code: -32603, message: 'The wallet did not answer.' } });
    expect(sent).toHaveLength(MAX_REATTACH + 1);
    const gone = fakeRuntime([new Error('Extension context invalidated.')]);
    expect(await relayRequest(gone.runtime, identity)).toMatchObject({ ok: false, error: { code: 4900 } });
    expect(gone.sent).toHaveLength(1);
  });
});
