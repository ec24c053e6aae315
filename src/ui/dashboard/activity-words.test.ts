import { describe, expect, test } from 'vitest';
import { ACTIVITY_KINDS, activityKindLabel, payloadLines, valueText } from './activity-words.ts';

describe('activity words', () => {
  test('every ledger kind has plain words; an unknown kind shows as it is', () => {
    expect(ACTIVITY_KINDS).toHaveLength(18);
    expect(activityKindLabel('grant.revoked')).toBe('Access revoked');
    expect(activityKindLabel('requester.checked')).toBe('Requester checked');
    expect(activityKindLabel('wallet.restored')).toBe('Wallet restored from a backup');
    expect(activityKindLabel('offer.refused')).toBe('Credential offer refused');
    expect(activityKindLabel('future.kind')).toBe('future.kind');
  });

  test('the payload reads as lines: site, credentials, claim paths and purposes first', () => {
    const lines = payloadLines({
      grantId: 'g-1',
      purposes: ['dpv:ServiceProvision'],
      claimPaths: [['address', 'locality'], ['given_name']],
      origin: 'https://library.example',
      credentialTypes: ['ResidentCredential'],
    });
    expect(lines).toEqual([
      { label: 'Site', text: 'https://library.example' },
      { label: 'Credentials', text: 'ResidentCredential' },
      { label: 'Claims', text: 'address.locality, given_name' },
      { label: 'Purposes', text: 'dpv:ServiceProvision' },
      { label: 'Grant', text: 'g-1' },
    ]);
    expect(payloadLines(null)).toEqual([]);
  });

  test('credentials read as type and claim paths, flags as Yes or No', () => {
    const lines = payloadLines({
      origin: 'https://city.example',
      credentials: [{ types: ['VerifiableCredential', 'ResidentCredential'], claimPaths: [['credentialSubject', 'address', 'locality']] }, { types: ['PID'], claimPaths: [] }],
      firstTime: true,
    });
    expect(lines).toEqual([
      { label: 'Site', text: 'https://city.example' },
      { label: 'Credentials', text: 'ResidentCredential: credentialSubject.address.locality; PID' },
      { label: 'First time', text: 'Yes' },
    ]);
  });

  test('a requester check reads as who, whether verified, by whom and for which study, or why not', () => {
    expect(payloadLines({ origin: 'https://portal.example', verified: true, did: 'did:key:z6Mkr', reason: null, accreditor: 'Ethics board', study: 'AICH-2026-014' })).toEqual([
      { label: 'Site', text: 'https://portal.example' },
      { label: 'Verified', text: 'Yes' },
      { label: 'DID', text: 'did:key:z6Mkr' },
      { label: 'Reason', text: '—' },
      { label: 'Accredited by', text: 'Ethics board' },
      { label: 'Study', text: 'AICH-2026-014' },
    ]);
  });

  test('a long text (a receipt JWT) is summarised, not printed', () => {
    const jwt = `eyJ${'a'.repeat(500)}`;
    expect(valueText(jwt)).toMatch(/^eyJa+… \(503 characters\)$/);
    expect(valueText({ a: 1 })).toBe('{"a":1}');
  });
});
