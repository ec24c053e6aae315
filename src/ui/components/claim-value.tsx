/** How a claim's value is shown: plain values as text, structures as nested lists, bounded in depth. */
const MAX_DEPTH = 6;

export function isPrimitive(value: unknown): value is string | number | boolean | null | undefined {
  return value === null || value === undefined || ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}

function primitiveText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

/**
 * A claim's value: strings as they are, booleans as Yes/No, arrays of plain values
 * comma-joined, objects (and arrays of objects) as nested key/value lists.
 */
export function ClaimValue({ value, depth = 0 }: { value: unknown; depth?: number }) {
  if (isPrimitive(value)) {
    return <span class={value === null || value === undefined ? 'muted' : undefined}>{primitiveText(value)}</span>;
  }
  if (depth >= MAX_DEPTH) return <code>{safeJson(value)}</code>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="muted">(none)</span>;
    if (value.every(isPrimitive)) return <span>{value.map(primitiveText).join(', ')}</span>;
    return (
      <ol class="claim-object">
        {value.map((item, index) => (
          <li key={index}>
            <ClaimValue value={item} depth={depth + 1} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return <span class="muted">(empty)</span>;
    return (
      <dl class="claim-object">
        {entries.map(([key, item]) => (
          <div key={key} class="claim-object-row">
            <dt>{key}</dt>
            <dd>
              <ClaimValue value={item} depth={depth + 1} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <code>{safeJson(value)}</code>;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
