/**
 * A value from someone else (a page, an issuer, a status list) in an error message.
 * `String(value)` throws for `{ "toString": 0 }` and can run a page's getters; this
 * never throws, and keeps messages short.
 */
export function describeValue(value: unknown, maxLength = 120): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? typeof value;
    } catch {
      text = typeof value;
    }
  }
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}
