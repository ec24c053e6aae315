import { DcqlError, DcqlQuery, DcqlUndefinedClaimSetIdError } from 'dcql';
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
