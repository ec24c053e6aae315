/**
 * The activity timeline in plain words: each entry kind as a sentence head, and an
 * entry's payload (origin, credential types, claim paths, purposes — never values)
 * as short labelled lines. Pure functions, tested without a browser.
 */
import type { ActivityKind } from '../../protocol/internal.ts';

export const ACTIVITY_KIND_LABEL: Record<ActivityKind, string> = {
  'wallet.created': 'Wallet created',
  'identity.login': 'Logged in to a site',
  'credential.received': 'Credential received',
  'credential.deleted': 'Credential deleted',
  'credential.status': 'Credential status changed',
  'credential.presented': 'Credentials shared once',
  'grant.given': 'Access given',
  'grant.accessed': 'A site read data under its access',
  'grant.revoked': 'Access revoked',
  'grant.expired': 'Access expired',
  'trust.changed': 'Trusted issuers changed',
  'deletion.requested': 'Deletion requested',
  'anchor.sent': 'Log anchored',
  'accreditor.changed': 'Accreditation bodies changed',
  'requester.checked': 'Requester checked',
  'wallet.backedUp': 'Backup exported',
  'wallet.restored': 'Wallet restored from a backup',
  'offer.refused': 'Credential offer refused',
};

export const ACTIVITY_KINDS = Object.keys(ACTIVITY_KIND_LABEL) as ActivityKind[];

export function activityKindLabel(kind: string): string {
  return (ACTIVITY_KIND_LABEL as Record<string, string>)[kind] ?? kind;
}

const FIELD_LABEL: Record<string, string> = {
  origin: 'Site',
  credentialTypes: 'Credentials',
  types: 'Credentials',
  claimPaths: 'Claims',
  claims: 'Claims',
  purposes: 'Purposes',
  grantId: 'Grant',
  kind: 'Kind',
  status: 'Status',
  reason: 'Reason',
  did: 'DID',
  issuer: 'Issuer',
  credentials: 'Credentials',
  firstTime: 'First time',
  actor: 'By',
  from: 'From',
  trusted: 'Trusted',
  expiresAt: 'Until',
  receipt: 'Receipt',
  verified: 'Verified',
  accreditor: 'Accredited by',
  study: 'Study',
};

/** Shown first, in this order; other fields follow as they come. */
const FIRST = ['origin', 'credentials', 'credentialTypes', 'types', 'claimPaths', 'claims', 'purposes'];
/** Longer strings (a receipt JWT) are summarised rather than printed. */
const MAX_TEXT = 160;

function isPath(value: unknown): value is (string | number)[] {
  return Array.isArray(value) && value.every((part) => typeof part === 'string' || typeof part === 'number');
}

interface SharedCredential {
  types: unknown[];
  claimPaths?: unknown[];
}

function isSharedCredential(value: unknown): value is SharedCredential {
  return typeof value === 'object' && value !== null && Array.isArray((value as { types?: unknown }).types);
}

function sharedCredentialText({ types, claimPaths }: SharedCredential): string {
  const named = types.filter((type) => type !== 'VerifiableCredential').map(String).join(', ') || 'Credential';
  const paths = (claimPaths ?? []).filter(isPath).map((path) => path.join('.'));
  return paths.length > 0 ? `${named}: ${paths.join(', ')}` : named;
}

function fieldLabel(key: string): string {
  return FIELD_LABEL[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (first) => first.toUpperCase());
}

export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value.length > MAX_TEXT ? `${value.slice(0, 40)}… (${value.length} characters)` : value;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    // Credentials as the log keeps them: `{ types, claimPaths }`, read as "Type: claim, claim".
    if (value.length > 0 && value.every(isSharedCredential)) return value.map(sharedCredentialText).join('; ');
    // An array of claim paths: `address.locality`, not a JSON dump.
    if (value.length > 0 && value.every((item) => isPath(item) && Array.isArray(item))) {
      return value.map((path) => (path as (string | number)[]).join('.')).join(', ');
    }
    return value.map((item) => valueText(item)).join(', ');
  }
  const text = JSON.stringify(value);
  return text.length > MAX_TEXT ? `${text.slice(0, 40)}… (${text.length} characters)` : text;
}

/** The payload as labelled lines, the fields a person looks for first. */
export function payloadLines(payload: Record<string, unknown> | null): { label: string; text: string }[] {
  if (!payload) return [];
  const keys = Object.keys(payload);
  const ordered = [...FIRST.filter((key) => keys.includes(key)), ...keys.filter((key) => !FIRST.includes(key))];
  return ordered.map((key) => ({ label: fieldLabel(key), text: valueText(payload[key]) }));
}
