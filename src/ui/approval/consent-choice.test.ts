import { describe, expect, it } from 'vitest';
import type { ConsentCandidateView, ConsentQueryView, CredentialView } from '../../protocol/internal.ts';
import { defaultChoice, isBlocked, isShared, orderedCandidates, refusalOf, requestSigner, resolveChoice } from './consent-choice.ts';

function candidate(id: string, issuerTrusted: boolean): ConsentCandidateView {
  const credential: CredentialView = {
    id,
    format: 'dc+sd-jwt',
    issuer: `did:key:issuer-${id}`,
    issuerTrusted,
    issuerLabel: issuerTrusted ? 'Registry' : null,
    types: [],
    vct: 'https://example.test/pid',
    claims: [],
    issuedAt: null,
    validFrom: null,
    validUntil: null,
    receivedAt: null,
    receivedFrom: null,
    holderDid: 'did:key:holder',
    status: { state: 'valid', checkedAt: null, reason: null },
  };
  return {
    credential,
    claims: [
      { path: ['given_name'], value: 'Mara', requested: true, disclosable: true },
      { path: ['birthdate'], value: '1990-01-01', requested: false, disclosable: true },
      { path: ['vct'], value: 'x', requested: false, disclosable: false },
    ],
  };
}

function query(candidates: ConsentCandidateView[]): ConsentQueryView {
  return { asked: { format: 'dc+sd-jwt', types: [], claims: [['given_name']] }, queryId: 'pid', candidates, holderBinding: true };
}

describe('preselection', () => {
  it('prefers a trusted issuer’s credential over unknown ones listed before it', () => {
    const q = query([candidate('a', false), candidate('b', false), candidate('c', true)]);
    expect(resolveChoice(q, {})?.candidate.credential.id).toBe('c');
    expect(orderedCandidates(q).map((c) => c.credential.id)).toEqual(['c', 'a', 'b']);
  });

  it('keeps the wallet’s order among equally trusted credentials', () => {
    const q = query([candidate('a', true), candidate('b', false), candidate('c', true)]);
    expect(orderedCandidates(q).map((c) => c.credential.id)).toEqual(['a', 'c', 'b']);
    expect(resolveChoice(query([candidate('x', false), candidate('y', false)]), {})?.candidate.credential.id).toBe('x');
  });

  it('the user’s choice wins while its credential is still offered', () => {
    const q = query([candidate('a', false), candidate('c', true)]);
    const mine = { credentialId: 'a', ticked: [] };
    expect(resolveChoice(q, { pid: mine })).toEqual({ candidate: q.candidates[0], choice: mine });
    expect(resolveChoice(q, { pid: { credentialId: 'gone', ticked: [] } })?.candidate.credential.id).toBe('c');
    expect(resolveChoice(query([]), {})).toBeNull();
  });

  it('by default exactly the requested disclosable claims are ticked; fixed claims always leave', () => {
    const c = candidate('a', true);
    const choice = defaultChoice(c);
    expect(choice.ticked).toEqual(['given_name']);
    expect(c.claims.map((claim) => isShared(claim, choice))).toEqual([true, false, true]);
  });
});

describe('refused credentials (blocked)', () => {
  const refused = (id: string, issuerTrusted: boolean, reason = 'health data is never shared with an unverified requester') => ({
    ...candidate(id, issuerTrusted),
    blocked: reason,
  });

  it('a refused credential is never preselected, even from a trusted issuer; it is listed last', () => {
    const q = query([refused('a', true), candidate('b', false), candidate('c', true)]);
    expect(orderedCandidates(q).map((c) => c.credential.id)).toEqual(['c', 'b', 'a']);
    expect(resolveChoice(q, {})?.candidate.credential.id).toBe('c');
    expect(refusalOf(q)).toBeNull();
  });

  it('choosing a refused credential does not stick: the preferred open one is used', () => {
    const q = query([refused('a', true), candidate('b', false)]);
    expect(resolveChoice(q, { pid: { credentialId: 'a', ticked: ['given_name'] } })?.candidate.credential.id).toBe('b');
  });

  it('when every candidate is refused, nothing is chosen and the first reason is given', () => {
    const q = query([refused('a', true, 'first reason'), refused('b', false, 'second reason')]);
    expect(resolveChoice(q, {})).toBeNull();
    expect(resolveChoice(q, { pid: { credentialId: 'a', ticked: [] } })).toBeNull();
    expect(refusalOf(q)).toBe('first reason');
  });

  it('no candidates is not a refusal; an empty or null reason is not a block', () => {
    expect(refusalOf(query([]))).toBeNull();
    expect(isBlocked({ ...candidate('a', true), blocked: null })).toBe(false);
    expect(isBlocked({ ...candidate('a', true), blocked: '' })).toBe(false);
    expect(isBlocked(candidate('a', true))).toBe(false);
  });
});

describe('requestSigner', () => {
  it('a decentralized_identifier client_id names the DID that signed', () => {
    expect(requestSigner('decentralized_identifier:did:web:city.example')).toEqual({ did: 'did:web:city.example' });
  });

  it('anything else is shown as the client_id it is', () => {
    expect(requestSigner('x509_san_dns:city.example')).toEqual({ clientId: 'x509_san_dns:city.example' });
    expect(requestSigner('decentralized_identifier:')).toEqual({ clientId: 'decentralized_identifier:' });
  });
});
