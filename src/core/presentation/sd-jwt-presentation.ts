import { base64url, decodeJwt } from 'jose';
import { fromUtf8, toBase64Url, utf8 } from '../encoding.ts';
import { encodeSignedJwt, type JwtSigner } from '../identity/jwt.ts';
import { claimPathKey, isPlainObject, type ClaimPathPointer } from './claim-path.ts';

/** What binds an SD-JWT presentation to its verifier and transaction (the KB-JWT). */
export interface KeyBinding {
  signer: JwtSigner;
  /** `origin:<page origin>`. */
  audience: string;
  nonce: string;
  /** Seconds since the epoch. */
  issuedAt: number;
}

interface Disclosure {
  encoded: string;
  /** The claim name, or null for an array element. */
  key: string | null;
  value: unknown;
}

const HASHES: Record<string, string> = { 'sha-256': 'SHA-256', 'sha-384': 'SHA-384', 'sha-512': 'SHA-512' };

/**
 * An SD-JWT presentation: the issuer JWT with only the disclosures the claim paths
 * need (each path's own disclosure, those of its ancestors, and everything under
 * it), then `~` and, with key binding, a KB-JWT (`typ: kb+jwt`; `aud`, `nonce`,
 * `iat`, `sd_hash` over `<issuer-jwt>~<disclosure>~…~`). Without key binding the
 * presentation ends with `~` (OpenID4VP 1.0: the credential without holder binding).
 */
export async function presentSdJwt(raw: string, disclose: readonly ClaimPathPointer[], keyBinding: KeyBinding | null): Promise<string> {
  const [issuerJwt = '', ...rest] = raw.split('~');
  const encodedDisclosures = rest.slice(0, -1).filter((part) => part.length > 0); // the last part is a KB-JWT or empty
  const payload = decodeJwt(issuerJwt) as Record<string, unknown>;
  const hash = hashName(payload._sd_alg);
  const disclosures = new Map<string, Disclosure>();
  for (const encoded of encodedDisclosures) disclosures.set(toBase64Url(await digest(hash, encoded)), parseDisclosure(encoded));

  const chosen = new Set<string>();
  for (const path of disclose) {
    const needed = walk(payload, path, 0, disclosures);
    if (!needed) throw new Error(`The credential has no claim ${claimPathKey(path)}`);
    for (const encoded of needed) chosen.add(encoded);
  }
  const presented = encodedDisclosures.filter((encoded) => chosen.has(encoded));
  const sdJwt = `${[issuerJwt, ...presented].join('~')}~`;
  if (!keyBinding) return sdJwt;

  const sdHash = toBase64Url(await digest(hash, sdJwt));
  const kbJwt = await encodeSignedJwt(
    keyBinding.signer,
    { iat: keyBinding.issuedAt, aud: keyBinding.audience, nonce: keyBinding.nonce, sd_hash: sdHash },
    { typ: 'kb+jwt', kid: undefined },
  );
  return sdJwt + kbJwt;
}

function hashName(sdAlg: unknown): string {
  const name = HASHES[typeof sdAlg === 'string' ? sdAlg : 'sha-256'];
  if (!name) throw new Error(`Unsupported SD-JWT _sd_alg ${String(sdAlg)}`);
  return name;
}

async function digest(hash: string, text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(hash, utf8(text)));
}

function parseDisclosure(encoded: string): Disclosure {
  const array: unknown = JSON.parse(fromUtf8(base64url.decode(encoded)));
  if (Array.isArray(array) && array.length === 3 && typeof array[1] === 'string') return { encoded, key: array[1], value: array[2] };
  if (Array.isArray(array) && array.length === 2) return { encoded, key: null, value: array[1] };
  throw new Error('Malformed SD-JWT disclosure');
}

/** The disclosures that reveal the claim(s) at `path` (from `index` on), or null if there is none. */
function walk(value: unknown, path: ClaimPathPointer, index: number, disclosures: Map<string, Disclosure>): string[] | null {
  if (index === path.length) return collect(value, disclosures);
  const component = path[index];
  if (typeof component === 'string') {
    if (!isPlainObject(value)) return null;
    if (component !== '_sd' && Object.hasOwn(value, component)) return walk(value[component], path, index + 1, disclosures);
    for (const digestValue of digestsOf(value)) {
      const disclosure = disclosures.get(digestValue);
      if (disclosure?.key !== component) continue;
      const inner = walk(disclosure.value, path, index + 1, disclosures);
      return inner && [disclosure.encoded, ...inner];
    }
    return null;
  }
  if (!Array.isArray(value)) return null;
  const elements = elementsOf(value, disclosures);
  const selected = component === null ? elements : component === undefined ? [] : elements.slice(component, component + 1);
  let found: string[] | null = null;
  for (const element of selected) {
    const inner = walk(element.value, path, index + 1, disclosures);
    if (!inner) continue;
    found = [...(found ?? []), ...(element.encoded ? [element.encoded] : []), ...inner];
  }
  return found;
}

/** Every disclosure inside a value (a requested object or array leaves whole). */
function collect(value: unknown, disclosures: Map<string, Disclosure>): string[] {
  if (Array.isArray(value)) {
    return elementsOf(value, disclosures).flatMap((element) => [...(element.encoded ? [element.encoded] : []), ...collect(element.value, disclosures)]);
  }
  if (!isPlainObject(value)) return [];
  const out: string[] = [];
  for (const digestValue of digestsOf(value)) {
    const disclosure = disclosures.get(digestValue);
    if (disclosure && disclosure.key !== null) out.push(disclosure.encoded, ...collect(disclosure.value, disclosures));
  }
  for (const [key, child] of Object.entries(value)) if (key !== '_sd') out.push(...collect(child, disclosures));
  return out;
}

const digestsOf = (value: Record<string, unknown>): string[] =>
  Array.isArray(value._sd) ? value._sd.filter((d): d is string => typeof d === 'string') : [];

/** An array's elements as the holder sees them: disclosed ones resolved, decoys dropped. */
function elementsOf(array: unknown[], disclosures: Map<string, Disclosure>): { value: unknown; encoded: string | null }[] {
  const out: { value: unknown; encoded: string | null }[] = [];
  for (const item of array) {
    if (isPlainObject(item) && typeof item['...'] === 'string' && Object.keys(item).length === 1) {
      const disclosure = disclosures.get(item['...']);
      if (disclosure && disclosure.key === null) out.push({ value: disclosure.value, encoded: disclosure.encoded });
    } else {
      out.push({ value: item, encoded: null });
    }
  }
  return out;
}
