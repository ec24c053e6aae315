import { describe, expect, it } from 'vitest';
import { Openid4vciGrants } from './openid4vci-grants.ts';
import { OFFER_TTL_MS, Openid4vciOffers } from './openid4vci-offers.ts';
import { PID_SD_JWT, PRE_AUTHORIZED_GRANT, RESIDENT_JWT_VC } from './openid4vci-metadata.ts';

describe('Openid4vciOffers', () => {
  it('puts the offer itself in a by-value URI, and a fetchable URL in a by-reference one until it expires', () => {
    let now = 0;
    const offers = new Openid4vciOffers('http://127.0.0.1:9', new Openid4vciGrants(() => now), () => now);
    const byValue = offers.make({ configurationIds: [PID_SD_JWT], grant: 'pre-authorized', by: 'value' });
    const inUri = new URLSearchParams(byValue.uri.slice('openid-credential-offer://?'.length)).get('credential_offer');
    expect(JSON.parse(inUri as string)).toEqual(byValue.offer);
    expect(byValue.offerUri).toBeUndefined();

    const byReference = offers.make({ configurationIds: [RESIDENT_JWT_VC], grant: 'authorization_code' });
    const id = (byReference.offerUri as string).split('/').at(-1) as string;
    expect(offers.byId(id)).toEqual(byReference.offer);
    expect(Object.keys(byReference.offer.grants)).toEqual(['authorization_code']);
    now += OFFER_TTL_MS;
    expect(offers.byId(id)).toBeUndefined();
  });

  it('describes the transaction code it asks for, and gives each offer its own pre-authorized code', () => {
    const offers = new Openid4vciOffers('http://127.0.0.1:9', new Openid4vciGrants());
    const a = offers.make({ configurationIds: [PID_SD_JWT], grant: 'pre-authorized', txCode: true });
    const b = offers.make({ configurationIds: [PID_SD_JWT], grant: 'pre-authorized' });
    const grantA = a.offer.grants[PRE_AUTHORIZED_GRANT] as Record<string, any>;
    const grantB = b.offer.grants[PRE_AUTHORIZED_GRANT] as Record<string, any>;
    expect(grantA.tx_code).toMatchObject({ input_mode: 'numeric', length: 6 });
    expect(a.txCode).toMatch(/^\d{6}$/);
    expect(grantB.tx_code).toBeUndefined();
    expect(grantA['pre-authorized_code']).not.toBe(grantB['pre-authorized_code']);
  });
});
