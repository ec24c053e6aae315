import { DcqlError, DcqlQuery, DcqlUndefinedClaimSetIdError } from 'dcql';
import { checkRequestBounds, DCQL_LIMITS, describeBoundsFailure } from '../../protocol/limits.ts';
import { ProtocolError } from './errors.ts';

/**
 * Parses (structure) and validates (content: unique ids, defined credential set and
 * claim set ids) a `dcql_query` with the dcql library; a problem becomes an
 * invalid_request naming where it is, e.g.
 * `dcql_query: credentials[0].format: Invalid type: Expected (...) but received "foo"`.
 */
export function parseDcqlQuery(input: unknown): DcqlQuery {
  if (input === undefined || input === null) throw new ProtocolError('dcql_query is missing');
  if (typeof input !== 'object' || Array.isArray(input)) throw new ProtocolError('dcql_query must be a JSON object');
  checkDcqlLimits(input);
  let query: DcqlQuery;
  try {
    query = DcqlQuery.parse(input as DcqlQuery.Input);
  } catch (error) {
    if (isValiError(error)) throw new ProtocolError(`dcql_query: ${describeIssue(error.issues[0])}`);
    throw error;
  }
  try {
    DcqlQuery.validate(query);
  } catch (error) {
    if (error instanceof DcqlUndefinedClaimSetIdError) throw new ProtocolError(`dcql_query: ${undefinedClaimSetIds(query)}`);
    if (error instanceof DcqlError) throw new ProtocolError(`dcql_query: ${error.message}`);
    throw error;
  }
  return query;
}

/**
 * Bounds a query before the library parses it (it stores the result with the
 * approval, and its recursive schemas should never see a hostile shape): counts of
 * the arrays that DCQL defines, then depth, member count and string length overall.
 * Each refusal names the field, e.g. `dcql_query.credentials: at most 16 credential queries (got 17)`.
 */
function checkDcqlLimits(query: object): void {
  const L = DCQL_LIMITS;
  const q = query as { credentials?: unknown; credential_sets?: unknown };
  atMost(q.credentials, L.credentials, 'dcql_query.credentials', 'credential queries');
  eachOf(q.credentials, 'dcql_query.credentials', (credential, at) => {
    const c = credential as { claims?: unknown; claim_sets?: unknown; meta?: unknown; trusted_authorities?: unknown };
    atMost(c.claims, L.claimsPerCredential, `${at}.claims`, 'claims');
    eachOf(c.claims, `${at}.claims`, (claim, claimAt) => {
      atMost((claim as { path?: unknown }).path, L.claimPathLength, `${claimAt}.path`, 'path elements');
      atMost((claim as { values?: unknown }).values, L.claimValues, `${claimAt}.values`, 'values');
    });
    atMost(c.claim_sets, L.claimSets, `${at}.claim_sets`, 'claim sets');
    eachOf(c.claim_sets, `${at}.claim_sets`, (set, setAt) => atMost(set, L.claimSetSize, setAt, 'claim ids'));
    const meta = (isObject(c.meta) ? c.meta : {}) as { type_values?: unknown; vct_values?: unknown };
    atMost(meta.type_values, L.typeValues, `${at}.meta.type_values`, 'alternatives');
    eachOf(meta.type_values, `${at}.meta.type_values`, (types, typesAt) => atMost(types, L.typesPerAlternative, typesAt, 'types'));
    atMost(meta.vct_values, L.vctValues, `${at}.meta.vct_values`, 'types');
    atMost(c.trusted_authorities, L.trustedAuthorities, `${at}.trusted_authorities`, 'authorities');
    eachOf(c.trusted_authorities, `${at}.trusted_authorities`, (authority, authorityAt) =>
      atMost((authority as { values?: unknown }).values, L.trustedAuthorityValues, `${authorityAt}.values`, 'values'),
    );
  });
  atMost(q.credential_sets, L.credentialSets, 'dcql_query.credential_sets', 'credential sets');
  eachOf(q.credential_sets, 'dcql_query.credential_sets', (set, setAt) => {
    const options = (set as { options?: unknown }).options;
    atMost(options, L.optionsPerSet, `${setAt}.options`, 'options');
    eachOf(options, `${setAt}.options`, (option, optionAt) => atMost(option, L.idsPerOption, optionAt, 'credential query ids'));
  });
  const bounds = checkRequestBounds(query, {
    root: 'dcql_query',
    maxDepth: L.depth,
    maxMembers: L.claimsPerCredential,
    maxStringLength: L.stringLength,
  });
  if (!bounds.ok) throw new ProtocolError(describeBoundsFailure(bounds));
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value);

function atMost(list: unknown, max: number, field: string, what: string): void {
  if (Array.isArray(list) && list.length > max) throw new ProtocolError(`${field}: at most ${max} ${what} (got ${list.length})`);
}

/** Visits the object members of an array already known to be within its count (others are the library's to refuse). */
function eachOf(list: unknown, field: string, visit: (item: object, at: string) => void): void {
  if (!Array.isArray(list)) return;
  list.forEach((item: unknown, index) => {
    if (typeof item === 'object' && item !== null) visit(item, `${field}[${index}]`);
  });
}

/** A valibot issue, as far as we read it (dcql bundles its own valibot, so no instanceof). */
interface Issue {
  message: string;
  path?: { key: unknown }[];
  issues?: Issue[];
}

const isValiError = (error: unknown): error is Error & { issues: Issue[] } =>
  error instanceof Error && error.name === 'ValiError' && Array.isArray((error as { issues?: unknown }).issues);

function describeIssue(issue: Issue | undefined): string {
  if (!issue) return 'invalid';
  // A union reports one issue per alternative; the deepest path names the problem best.
  const nested = issue.issues?.reduce<Issue | undefined>(
    (best, candidate) => ((candidate.path?.length ?? 0) > (best?.path?.length ?? 0) ? candidate : best),
    undefined,
  );
  const chosen = nested && (nested.path?.length ?? 0) > (issue.path?.length ?? 0) ? nested : issue;
  const where = formatPath(chosen.path?.map((item) => item.key) ?? []);
  return where ? `${where}: ${chosen.message}` : chosen.message;
}

function formatPath(keys: unknown[]): string {
  let out = '';
  for (const key of keys) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out;
}

/** The library's message for this case speaks of "credential ids"; name the claim ids instead. */
function undefinedClaimSetIds(query: DcqlQuery): string {
  for (const [index, credential] of query.credentials.entries()) {
    const ids = new Set(credential.claims?.map((claim) => claim.id));
    const missing = credential.claim_sets?.flat().filter((id) => !ids.has(id)) ?? [];
    if (missing.length > 0) {
      return `credentials[${index}].claim_sets: claim id${missing.length > 1 ? 's' : ''} ${missing.map((id) => `'${id}'`).join(', ')} not defined in claims`;
    }
  }
  return 'claim_sets name undefined claim ids';
}
