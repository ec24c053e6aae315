import { describe, expect, it } from 'vitest';
import { WalletError } from './errors.ts';
import { DigitalCredentialsGetParams, NoParams, OfferCredentialParams, RequestIdentityParams, RevokeGrantParams } from './rpc.ts';
import { parseOrThrow } from './validate.ts';

function failure(schema: Parameters<typeof parseOrThrow>[0], input: unknown): { code: number; message: string } {
  try {
    parseOrThrow(schema, input);
  } catch (error) {
    if (error instanceof WalletError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('website-facing params', () => {
  it('accepts a good identity request', () => {
    expect(parseOrThrow(RequestIdentityParams, { nonce: 'n-0123456789' })).toEqual({ nonce: 'n-0123456789' });
  });

  it.each([
    ['params missing', undefined, 'Invalid params: params: must be an object'],
    ['params not an object', 'nonce', 'Invalid params: params: must be an object'],
    ['params an array', ['abcdefgh1'], 'Invalid params: params: must be an object'],
    ['params null', null, 'Invalid params: params: must be an object'],
    ['nonce missing', {}, 'Invalid params: params.nonce: is required'],
    ['nonce a number', { nonce: 12345678 }, 'Invalid params: params.nonce: must be a string'],
    ['nonce too short', { nonce: 'short' }, 'Invalid params: params.nonce: must be at least 8 characters'],
    ['nonce too long', { nonce: 'x'.repeat(513) }, 'Invalid params: params.nonce: must be at most 512 characters'],
    ['nonce with spaces', { nonce: 'has spaces in it' }, 'Invalid params: params.nonce: must be printable ASCII without spaces'],
    ['nonce with control characters', { nonce: 'abc\u0000defgh' }, 'Invalid params: params.nonce: must be printable ASCII without spaces'],
    ['an extra field', { nonce: 'abcdefgh1', origin: 'https://evil.example' }, 'Invalid params: params.origin: is not an accepted field'],
  ])('wallet_requestIdentity: %s → -32602 naming the field', (_label, input, message) => {
    expect(failure(RequestIdentityParams, input)).toEqual({ code: -32602, message });
  });

  it.each([
    ['grantId missing', {}, 'Invalid params: params.grantId: is required'],
    ['grantId malformed', { grantId: '../../etc' }, 'Invalid params: params.grantId: must be a grant id (8 to 64 characters of A-Z a-z 0-9 _ -)'],
    ['an extra field', { grantId: 'abcdefgh12', all: true }, 'Invalid params: params.all: is not an accepted field'],
  ])('wallet_revokeGrant: %s → -32602 naming the field', (_label, input, message) => {
    expect(failure(RevokeGrantParams, input)).toEqual({ code: -32602, message });
  });

  it('wallet_getGrants takes no params', () => {
    for (const ok of [undefined, null, [], {}]) expect(() => parseOrThrow(NoParams, ok)).not.toThrow();
    expect(failure(NoParams, { origin: 'x' })).toEqual({ code: -32602, message: 'Invalid params: params: must be absent' });
  });

  it('answers 10,000-deep nesting and 100,000-element arrays with -32602 naming the field, never a crash', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const wide = Array.from({ length: 100_000 }, (_, i) => i);
    const cases: [Parameters<typeof parseOrThrow>[0], unknown, string][] = [
      [RequestIdentityParams, { nonce: deep }, 'Invalid params: params.nonce: must be a string'],
      [RequestIdentityParams, wide, 'Invalid params: params: must be an object'],
      [RevokeGrantParams, { grantId: wide }, 'Invalid params: params.grantId: must be a string'],
      [OfferCredentialParams, { credential: deep }, 'Invalid params: params.credential: must be a string'],
      [OfferCredentialParams, { credential: 'x'.repeat(70 * 1024) }, 'Invalid params: params.credential: is too large (over 64 KiB)'],
      [NoParams, wide, 'Invalid params: params: must be absent'],
      [DigitalCredentialsGetParams, { protocol: 'openid4vp-v1-unsigned', data: wide }, 'Invalid params: params.data: must be an object'],
    ];
    for (const [schema, input, message] of cases) expect(failure(schema, input)).toEqual({ code: -32602, message });
  });
});
