import { describe, expect, it } from 'vitest';
import { bitstringStatusRefs, tokenStatusRefs } from './status-refs.ts';

const entry = (extra: Record<string, unknown> = {}) => ({
  id: 'https://s.example/1#7',
  type: 'BitstringStatusListEntry',
  statusPurpose: 'revocation',
  statusListIndex: '7',
  statusListCredential: 'https://s.example/1',
  ...extra,
});

describe('bitstringStatusRefs', () => {
  it('reads one entry or a list, ignoring other status types and purposes', () => {
    expect(bitstringStatusRefs(entry())).toEqual([{ kind: 'bitstring', purpose: 'revocation', index: 7, listUrl: 'https://s.example/1' }]);
    expect(
      bitstringStatusRefs([
        entry({ statusPurpose: 'suspension', statusListIndex: '0' }),
        { type: 'StatusList2021Entry', statusListIndex: '1', statusListCredential: 'https://s.example/2' },
        entry({ statusPurpose: 'refresh' }),
        entry({ type: ['BitstringStatusListEntry'], statusPurpose: 'message' }),
      ]),
    ).toEqual([
      { kind: 'bitstring', purpose: 'suspension', index: 0, listUrl: 'https://s.example/1' },
      { kind: 'bitstring', purpose: 'message', index: 7, listUrl: 'https://s.example/1' },
    ]);
    expect(bitstringStatusRefs(undefined)).toEqual([]);
  });

  it('refuses an incomplete BitstringStatusListEntry', () => {
    expect(() => bitstringStatusRefs(entry({ statusListIndex: '-1' }))).toThrow('credentialStatus.statusListIndex is not a non-negative integer');
    expect(() => bitstringStatusRefs([entry({ statusListCredential: 'javascript:alert(1)' })])).toThrow(
      'credentialStatus[0].statusListCredential is not an http(s) URL',
    );
    expect(() => bitstringStatusRefs(entry({ statusPurpose: undefined }))).toThrow('credentialStatus.statusPurpose is missing');
    expect(() => bitstringStatusRefs(['x'])).toThrow('credentialStatus[0] is not an object');
  });
});

describe('tokenStatusRefs', () => {
  it('reads status.status_list', () => {
    expect(tokenStatusRefs({ status_list: { idx: 3, uri: 'https://s.example/tsl' } })).toEqual([
      { kind: 'token-status-list', index: 3, listUrl: 'https://s.example/tsl' },
    ]);
    expect(tokenStatusRefs(undefined)).toEqual([]);
    expect(tokenStatusRefs({ other_mechanism: {} })).toEqual([]);
  });

  it('refuses a broken reference', () => {
    expect(() => tokenStatusRefs({ status_list: { idx: 1.5, uri: 'https://s.example/tsl' } })).toThrow('status.status_list.idx');
    expect(() => tokenStatusRefs({ status_list: { idx: 1 } })).toThrow('status.status_list.uri is not an http(s) URL');
  });
});
