/**
 * Where the wallet may fetch on a site's behalf (DESIGN §5): status lists now, DID
 * documents and request URIs later. `https:` to a public host, or `http:` to loopback
 * only; never a private-network, link-local, unspecified, multicast or otherwise
 * reserved address, nor a `.local` (mDNS) or intranet name.
 *
 * The WHATWG URL parser already normalises numeric host forms (`http://2130706433`,
 * `http://0x7f.1`, `http://017700000001` all become `127.0.0.1`; IPv6 is serialised as
 * compressed hex groups, `[::ffff:10.0.0.1]` as `[::ffff:a00:1]`), so only the
 * canonical forms need classifying here.
 *
 * What this cannot see: a public-looking host name whose DNS answer is a private
 * address (DNS rebinding). An extension cannot resolve names or pin the address the
 * browser connects to, so that part of the rule rests on the browser's own
 * Private Network Access checks.
 */
import { instanceofAcrossCopies } from '../cross-bundle.ts';

/** What kind of address a URL's host is. */
export type HostKind = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'reserved' | 'local-name';

const REFUSED_BECAUSE: Record<Exclude<HostKind, 'public' | 'loopback'>, string> = {
  private: 'a private-network address',
  'link-local': 'a link-local address',
  unspecified: 'an unspecified address',
  reserved: 'a reserved, multicast or non-routable address',
  'local-name': 'a local-network name (.local, .internal, .home.arpa or a single-label name)',
};

/** Refusal of a URL the wallet must not fetch; the message says why. */
export class UrlPolicyError extends Error {
  /** `url` and `reason` as one sentence, e.g. "http://x/ is not fetched: http: is allowed only to loopback…". */
  constructor(
    readonly url: string,
    /** Why, without the URL. */
    readonly reason: string,
  ) {
    super(`${url} is not fetched: ${reason}`);
    this.name = 'UrlPolicyError';
  }
}
// Made in one worker script and checked in another (cross-bundle.ts).
instanceofAcrossCopies(UrlPolicyError, 'UrlPolicyError');

/** Why the wallet must not fetch `url`, or null when it may. */
export function fetchUrlRefusal(url: string | URL): string | null {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return 'it is not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `its scheme ${parsed.protocol} is not https:`;
  if (parsed.username !== '' || parsed.password !== '') return 'it carries a user name or password';
  const kind = classifyHost(parsed.hostname);
  if (kind === 'loopback') return null;
  if (kind !== 'public') return `its host ${parsed.hostname} is ${REFUSED_BECAUSE[kind]}`;
  if (parsed.protocol === 'http:') return 'http: is allowed only to loopback (127.0.0.0/8, localhost, [::1]); use https:';
  return null;
}

/** The parsed URL if the wallet may fetch it; a UrlPolicyError naming the reason otherwise. */
export function assertFetchableUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UrlPolicyError(url, 'it is not a URL');
  }
  const refusal = fetchUrlRefusal(parsed);
  if (refusal !== null) throw new UrlPolicyError(url, refusal);
  return parsed;
}

/** The kind of a host as `URL.hostname` gives it (IPv6 in brackets). */
export function classifyHost(hostname: string): HostKind {
  const host = hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) {
    const groups = parseIpv6(host.slice(1, -1));
    return groups ? classifyIpv6(groups) : 'reserved';
  }
  const v4 = parseIpv4(host);
  if (v4) return classifyIpv4(v4);
  return classifyName(host);
}

function classifyName(host: string): HostKind {
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  if (name === '' || !name.includes('.')) return 'local-name';
  if (name.endsWith('.local') || name.endsWith('.internal') || name.endsWith('.home.arpa') || name === 'home.arpa') return 'local-name';
  return 'public';
}

function parseIpv4(host: string): number[] | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!match) return null;
  const octets = match.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

function classifyIpv4([a = 0, b = 0, c = 0]: number[]): HostKind {
  if (a === 127) return 'loopback';
  if (a === 0) return 'unspecified'; // 0.0.0.0/8, "this network"
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // 100.64.0.0/10, carrier-grade NAT
  if (a === 169 && b === 254) return 'link-local';
  if (a === 192 && b === 0 && c === 0) return 'reserved'; // 192.0.0.0/24, IETF protocol assignments
  if (a === 198 && (b === 18 || b === 19)) return 'reserved'; // 198.18.0.0/15, benchmarking
  if (a >= 224) return 'reserved'; // multicast 224/4, reserved 240/4, broadcast
  return 'public';
}

/** Eight 16-bit groups of a canonical (or any hex, `::`-compressed) IPv6 address. */
function parseIpv6(text: string): number[] | null {
  if (text.includes('.') || text.includes('%')) return null; // URL serialisation never leaves these
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const part = (s: string | undefined) => (s ? s.split(':') : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(Math.max(missing, 0)).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return all.map((g) => parseInt(g, 16));
}

function classifyIpv6(g: number[]): HostKind {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embeddedV4 = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return 'unspecified'; // ::
  if (zeroTo(7) && g7 === 1) return 'loopback'; // ::1
  if (zeroTo(5) && g5 === 0xffff) return classifyIpv4(embeddedV4(g6, g7)); // ::ffff:a.b.c.d, IPv4-mapped
  if (zeroTo(6)) return 'reserved'; // ::a.b.c.d, deprecated IPv4-compatible
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return classifyIpv4(embeddedV4(g6, g7)); // NAT64
  if (g0 === 0x2002) return classifyIpv4(embeddedV4(g1, g2)); // 6to4
  if ((g0 & 0xfe00) === 0xfc00) return 'private'; // fc00::/7, unique local
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((g0 & 0xffc0) === 0xfec0) return 'private'; // fec0::/10, deprecated site-local
  if ((g0 & 0xff00) === 0xff00) return 'reserved'; // multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return 'reserved'; // documentation
  return 'public';
}
