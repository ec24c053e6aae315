/** The frame every Tessera page shares: the name and mark in a header, then the page. */
import type { ComponentChildren } from 'preact';

/** The mark: a 2×2 mosaic of tiles (a tessera is one tile of a mosaic). Inline, no remote asset. */
export function TesseraMark({ size = 22 }: { size?: number }) {
  return (
    <svg class="mark" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
      <rect x="1" y="1" width="10" height="10" rx="2" fill="#0f9f8f" />
      <rect x="13" y="1" width="10" height="10" rx="2" fill="#5b5bd6" />
      <rect x="1" y="13" width="10" height="10" rx="2" fill="#e8a317" />
      <rect x="13" y="13" width="10" height="10" rx="2" fill="#d9485f" />
    </svg>
  );
}

export function PageShell({ aside, children }: { aside?: ComponentChildren; children: ComponentChildren }) {
  return (
    <div class="shell">
      <header class="shell-header">
        <span class="brand">
          <TesseraMark />
          <span class="brand-name">Tessera</span>
        </span>
        {aside ? <span class="shell-aside">{aside}</span> : null}
      </header>
      <main class="shell-main">{children}</main>
    </div>
  );
}

/** "Locked" / "Unlocked" pill; tests read its text. */
export function LockState({ unlocked }: { unlocked: boolean }) {
  return (
    <span class={`pill ${unlocked ? 'pill-ok' : 'pill-muted'}`} data-testid="lock-state">
      {unlocked ? 'Unlocked' : 'Locked'}
    </span>
  );
}

/** An error line that screen readers announce; renders nothing when there is no error. */
export function ErrorText({ message, testId }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p class="error" role="alert" data-testid={testId}>
      {message}
    </p>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="muted loading" aria-busy="true">
      {label}
    </p>
  );
}
