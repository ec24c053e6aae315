import * as v from 'valibot';
import { invalidParams } from './errors.ts';

/**
 * Parses input against a schema; on failure throws -32602 whose message names the
 * offending field (dot path) and what was wrong with it, so a caller can fix it.
 */
export function parseOrThrow<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  root = 'params',
): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { abortPipeEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  const field = path ? `${root}.${path}` : root;
  // Key issues of a strict object: the path ends at the key itself.
  const message =
    issue.type === 'strict_object' && path
      ? issue.expected === 'never'
        ? 'is not an accepted field'
        : 'is required'
      : issue.message;
  throw invalidParams(`${field}: ${message}`);
}

/** A JSON-style object: valibot's object schemas would also take arrays. */
export const plainObject = <S extends v.GenericSchema>(schema: S) =>
  v.pipe(
    v.custom<v.InferInput<S>>(
      (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
      'must be an object',
    ),
    schema,
  );
