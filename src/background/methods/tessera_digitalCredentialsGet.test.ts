import { describe, expect, it } from 'vitest';
import { methodHarness } from '../../../test/support/method-harness.ts';
import { tesseraDigitalCredentialsGet } from './tessera_digitalCredentialsGet.ts';

describe('tessera_digitalCredentialsGet', () => {
  it('answers { protocol, data } like a DigitalCredential, and refuses protocols it does not speak', async () => {
    const { call } = await methodHarness();
    const answer = await call(tesseraDigitalCredentialsGet, { protocol: 'openid4vp-v1-unsigned', data: { response_type: 'vp_token', nonce: 'n-12345678' } });
    expect(answer).toMatchObject({ protocol: 'openid4vp-v1-unsigned', data: { error: 'invalid_request' } });
    await expect(call(tesseraDigitalCredentialsGet, { protocol: 'org-iso-mdoc', data: {} })).rejects.toThrow('params.protocol');
  });
});
