import { describe, expect, it } from 'vitest';
import { bitstringStatusRefs, MAX_STATUS_REFERENCES, tokenStatusRefs } from './status-refs.ts';

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

describe('status reference limits', () => {
  it(`accepts ${MAX_STATUS_REFERENCES} BitstringStatusListEntry entries and refuses a fifth, naming the limit`, () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => entry({ statusListIndex: String(i), statusListCredential: `https://s.example/${i}` }));
    expect(bitstringStatusRefs(entries(4))).toHaveLength(4);
    expect(() => bitstringStatusRefs(entries(5))).toThrow(
      'credentialStatus has 5 BitstringStatusListEntry entries; the wallet accepts at most 4 status references per credential',
    );
    // Entries the wallet ignores (other types) are not references: they cause no fetch.
    const ignored = Array.from({ length: 10 }, () => ({ type: 'StatusList2021Entry', statusListCredential: 'https://s.example/x' }));
    expect(bitstringStatusRefs([...entries(4), ...ignored])).toHaveLength(4);
  });

  it('refuses a status list location the wallet would never fetch, saying why', () => {
    expect(() => bitstringStatusRefs(entry({ statusListCredential: 'http://s.example/1' }))).toThrow(
      'credentialStatus.statusListCredential is not a URL the wallet fetches: http: is allowed only to loopback (127.0.0.0/8, localhost, [::1]); use https:',
    );
    expect(() => bitstringStatusRefs(entry({ statusListCredential: 'https://10.0.0.8/1' }))).toThrow(
      'credentialStatus.statusListCredential is not a URL the wallet fetches: its host 10.0.0.8 is a private-network address',
    );
    expect(() => tokenStatusRefs({ status_list: { idx: 1, uri: 'https://[fe80::1]/tsl' } })).toThrow(
      'status.status_list.uri is not a URL the wallet fetches: its host [fe80::1] is a link-local address',
    );
    expect(bitstringStatusRefs(entry({ statusListCredential: 'http://127.0.0.1:7001/status' }))[0]?.listUrl).toBe('http://127.0.0.1:7001/status');
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
