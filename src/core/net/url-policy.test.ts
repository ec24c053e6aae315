import { describe, expect, it } from 'vitest';
import { assertFetchableUrl, classifyHost, fetchUrlRefusal, UrlPolicyError } from './url-policy.ts';

const kindOf = (url: string) => classifyHost(new URL(url).hostname);

describe('fetchUrlRefusal', () => {
  it('allows https to public hosts and http only to loopback', () => {
    for (const url of [
      'https://issuer.example/status/1',
      'https://93.184.216.34/list',
      'https://[2606:4700::1111]/list',
      'http://127.0.0.1:7001/status',
      'http://127.8.9.10/status',
      'http://localhost:8080/status',
      'http://status.localhost/',
      'http://[::1]:8080/status',
      'https://localhost/status',
    ]) {
      expect(fetchUrlRefusal(url), url).toBeNull();
    }
    expect(fetchUrlRefusal('http://issuer.example/status')).toBe('http: is allowed only to loopback (127.0.0.0/8, localhost, [::1]); use https:');
  });

  it('refuses other schemes, credentials in the URL and non-URLs', () => {
    expect(fetchUrlRefusal('ftp://issuer.example/list')).toBe('its scheme ftp: is not https:');
    expect(fetchUrlRefusal('data:text/plain,x')).toBe('its scheme data: is not https:');
    expect(fetchUrlRefusal('file:///etc/passwd')).toBe('its scheme file: is not https:');
    expect(fetchUrlRefusal('https://user:pw@issuer.example/')).toBe('it carries a user name or password');
    expect(fetchUrlRefusal('not a url')).toBe('it is not a URL');
  });

  it('refuses private-network, link-local, unspecified and reserved IPv4, over https too', () => {
    const refused: [string, string][] = [
      ['https://10.0.0.1/', 'private-network'],
      ['https://172.16.0.1/', 'private-network'],
      ['https://172.31.255.255/', 'private-network'],
      ['https://192.168.1.1/', 'private-network'],
      ['https://100.64.0.1/', 'private-network'],
      ['https://100.127.255.255/', 'private-network'],
      ['https://169.254.169.254/latest/meta-data', 'link-local'],
      ['https://0.0.0.0/', 'unspecified'],
      ['http://0/', 'unspecified'],
      ['https://224.0.0.1/', 'reserved'],
      ['https://255.255.255.255/', 'reserved'],
    ];
    for (const [url, why] of refused) expect(fetchUrlRefusal(url), url).toContain(why);
    // Neighbours of the private ranges are public.
    for (const url of ['https://172.15.255.255/', 'https://172.32.0.1/', 'https://100.63.255.255/', 'https://100.128.0.1/', 'https://169.253.0.1/']) {
      expect(fetchUrlRefusal(url), url).toBeNull();
    }
  });

  it('classifies numeric host forms after URL normalisation', () => {
    expect(kindOf('http://2130706433/')).toBe('loopback');
    expect(kindOf('http://0x7f.1/')).toBe('loopback');
    expect(kindOf('http://017700000001/')).toBe('loopback');
    expect(kindOf('https://0xa9fea9fe/')).toBe('link-local'); // 169.254.169.254
    expect(kindOf('https://3232235777/')).toBe('private'); // 192.168.1.1
    expect(kindOf('https://192.168.1/')).toBe('private'); // 192.168.0.1
    expect(kindOf('https://012.1/')).toBe('private'); // 10.0.0.1
  });

  it('refuses private, link-local, unspecified and IPv4-mapped private IPv6', () => {
    expect(kindOf('https://[::]/')).toBe('unspecified');
    expect(kindOf('http://[0:0:0:0:0:0:0:1]/')).toBe('loopback');
    expect(kindOf('https://[fc00::1]/')).toBe('private');
    expect(kindOf('https://[fd12:3456::1]/')).toBe('private');
    expect(kindOf('https://[fe80::1]/')).toBe('link-local');
    expect(kindOf('https://[febf::1]/')).toBe('link-local');
    expect(kindOf('https://[fec0::1]/')).toBe('private');
    expect(kindOf('https://[ff02::1]/')).toBe('reserved');
    expect(kindOf('https://[::ffff:10.0.0.1]/')).toBe('private');
    expect(kindOf('https://[::ffff:169.254.169.254]/')).toBe('link-local');
    expect(kindOf('https://[::ffff:0.0.0.0]/')).toBe('unspecified');
    expect(kindOf('http://[::ffff:127.0.0.1]/')).toBe('loopback');
    expect(kindOf('https://[::ffff:8.8.8.8]/')).toBe('public');
    expect(kindOf('https://[64:ff9b::192.168.0.1]/')).toBe('private');
    expect(kindOf('https://[2002:c0a8:101::1]/')).toBe('private'); // 6to4 of 192.168.1.1
    expect(kindOf('https://[::10.0.0.1]/')).toBe('reserved');
    expect(kindOf('https://[2001:db8::1]/')).toBe('reserved');
    expect(kindOf('https://[2a00:1450:4001::200e]/')).toBe('public');
    expect(fetchUrlRefusal('https://[fd00::1]/list')).toBe('its host [fd00::1] is a private-network address');
  });

  it('refuses .local, .internal, .home.arpa and single-label names', () => {
    for (const url of ['https://printer.local/', 'https://PRINTER.LOCAL./', 'https://api.corp.internal/', 'https://nas.home.arpa/', 'https://intranet/']) {
      expect(fetchUrlRefusal(url), url).toMatch(/is a local-network name/);
    }
    expect(fetchUrlRefusal('https://local.example/')).toBeNull();
    expect(fetchUrlRefusal('https://example.localization.com/')).toBeNull();
  });

  it('only ever answers loopback for names Chrome resolves to loopback', () => {
    expect(classifyHost('localhost')).toBe('loopback');
    expect(classifyHost('localhost.')).toBe('loopback');
    expect(classifyHost('a.b.localhost')).toBe('loopback');
    expect(classifyHost('localhost.example')).toBe('public');
    expect(classifyHost('[not:an:address]')).toBe('reserved');
  });
});

describe('assertFetchableUrl', () => {
  it('returns the parsed URL or throws a UrlPolicyError naming the URL and the reason', () => {
    expect(assertFetchableUrl('https://issuer.example/s').href).toBe('https://issuer.example/s');
    expect(() => assertFetchableUrl('https://192.168.0.10/s')).toThrow(UrlPolicyError);
    expect(() => assertFetchableUrl('https://192.168.0.10/s')).toThrow('https://192.168.0.10/s is not fetched: its host 192.168.0.10 is a private-network address');
    expect(() => assertFetchableUrl('::')).toThrow(':: is not fetched: it is not a URL');
  });
});
