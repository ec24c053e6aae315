/**
 * How the Aldmere City Library checks the consent receipt a wallet hands it with a
 * data-access grant: a JWT VC of type `ConsentReceipt`, issued by the user's pairwise
 * DID for this site, addressed to `origin:<library origin>`, describing the grant the
 * library asked for — and carrying no claim value.
 *
 * Verified with did-jwt-vc and key-did-resolver (the same independent libraries as the
 * other demo sites), so the wallet's receipt is checked by code it does not share.
 */
import { verifyCredential } from 'did-jwt-vc';
import { audienceFor, didKeyResolver } from '../verify.ts';

export interface ReceiptGrant {
  id: string;
  purposes: string[];
  credentials: { format: string; types: string[]; claimPaths: (string | number)[][] }[];
  expiresAt: string | null;
  usageLimit: number | null;
  retentionDays: number | null;
  requestHash: string;
}

export interface VerifiedReceipt {
  /** The pairwise DID that signed it (the receipt's `iss`). */
  issuer: string;
  grant: ReceiptGrant;
  issuedAt: number | null;
  expiresAt: number | null;
}

export interface ReceiptExpectation {
  origin: string;
  grantId: string;
  /** The purposes the site asked for. */
  purposes: string[];
  /** Purposes it also asked for that the holder may leave out (consented separately, e.g. AI model training). */
  optionalPurposes?: string[];
  /** The pairwise DID the grant names (`grant.did`). */
  did: string;
  /** Claim values the library received: none may appear in the receipt. */
  claimValues?: unknown[];
}

/** Every string and number leaf of a JSON value (for the "no claim values" check). */
function leaves(value: unknown, into: (string | number)[] = []): (string | number)[] {
  if (typeof value === 'string' || typeof value === 'number') into.push(value);
  else if (Array.isArray(value)) for (const item of value) leaves(item, into);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) leaves(item, into);
  return into;
}

/** Verifies `receipt` (a compact JWT VC) and checks it describes the grant; throws with a reason. */
export async function verifyConsentReceipt(receipt: string, expected: ReceiptExpectation): Promise<VerifiedReceipt> {
  const verified = await verifyCredential(receipt, didKeyResolver, { audience: audienceFor(expected.origin) });
  const issuer = verified.issuer;
  if (!issuer.startsWith('did:key:')) throw new Error(`the receipt is not issued by a did:key (${issuer})`);
  if (issuer !== expected.did) throw new Error(`the receipt is issued by ${issuer}, not the grant's DID ${expected.did}`);
  if (verified.payload.aud !== audienceFor(expected.origin)) throw new Error(`the receipt is addressed to ${JSON.stringify(verified.payload.aud)}`);
  const types = [verified.verifiableCredential.type].flat();
  if (!types.includes('ConsentReceipt')) throw new Error(`the receipt's types are ${types.join(', ')}, not ConsentReceipt`);
  const grant = (verified.verifiableCredential.credentialSubject as { grant?: ReceiptGrant }).grant;
  if (!grant || typeof grant !== 'object') throw new Error('the receipt carries no grant');
  if (grant.id !== expected.grantId) throw new Error(`the receipt is for grant ${grant.id}, not ${expected.grantId}`);
  if (!Array.isArray(grant.purposes)) throw new Error('the receipt lists no purposes');
  const asked = [...expected.purposes].sort().join(' ');
  const allowed = new Set([...expected.purposes, ...(expected.optionalPurposes ?? [])]);
  const granted = new Set(grant.purposes);
  const exact = granted.size === grant.purposes.length && expected.purposes.every((p) => granted.has(p)) && grant.purposes.every((p) => allowed.has(p));
  if (!exact) {
    const optional = expected.optionalPurposes?.length ? ` (and optionally ${expected.optionalPurposes.join(', ')})` : '';
    throw new Error(`the receipt's purposes are ${grant.purposes.join(', ')}, not ${asked}${optional}`);
  }
  if (typeof grant.requestHash !== 'string' || grant.requestHash === '') throw new Error('the receipt has no request hash');
  const inReceipt = new Set(leaves(verified.payload));
  for (const value of leaves(expected.claimValues ?? [])) {
    // Short values (an "AL", a postcode digit) could collide with ids by chance; names and streets cannot.
    if (String(value).length >= 4 && inReceipt.has(value)) throw new Error(`the receipt carries a claim value (${String(value)})`);
  }
  const iat = verified.payload.iat;
  const exp = verified.payload.exp;
  return { issuer, grant, issuedAt: typeof iat === 'number' ? iat : null, expiresAt: typeof exp === 'number' ? exp : null };
}
