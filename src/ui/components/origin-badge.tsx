/**
 * Shows a website origin so it cannot be mistaken for another: monospace, never
 * truncated, host emphasised, scheme and port always visible. The element's text is
 * exactly the origin string (tests and copy-paste rely on that); extra notes go beside it.
 */
interface OriginParts {
  scheme: string;
  host: string;
  port: string;
}

function splitOrigin(origin: string): OriginParts | null {
  try {
    const url = new URL(origin);
    // Only a real origin (no path, query or credentials) is split; anything else shows raw.
    if (`${url.protocol}//${url.host}` !== origin) return null;
    return { scheme: url.protocol.slice(0, -1), host: url.hostname, port: url.port };
  } catch {
    return null;
  }
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Plain http to anything but this machine: the page could have been tampered with on the way. */
export function isInsecureOrigin(origin: string): boolean {
  const parts = splitOrigin(origin);
  return parts !== null && parts.scheme === 'http' && !LOOPBACK.test(parts.host);
}

export function OriginBadge({
  origin,
  large = false,
  testId,
  id,
}: {
  origin: string;
  large?: boolean;
  testId?: string;
  /** For `aria-describedby` on the buttons that decide about this origin. */
  id?: string;
}) {
  const parts = splitOrigin(origin);
  return (
    <span class={large ? 'origin origin-large' : 'origin'} title={origin} data-testid={testId} id={id}>
      {parts ? (
        <>
          <span class={parts.scheme === 'https' ? 'origin-scheme' : 'origin-scheme origin-plain'}>
            {parts.scheme}://
          </span>
          <span class="origin-host">{parts.host}</span>
          {parts.port ? <span class="origin-port">:{parts.port}</span> : null}
        </>
      ) : (
        origin
      )}
    </span>
  );
}
