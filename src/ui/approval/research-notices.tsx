/**
 * The research parts of a data-access consent (DESIGN §8): where the request goes
 * beyond what the requester is accredited for, and, for a child's credential, that the
 * user shares it as parent or guardian and until when.
 */
import type { GuardianView } from '../../protocol/internal.ts';
import { formatDay } from '../components/format.ts';
import { guardianRoleWord } from '../components/research-words.ts';

/** One line per finding; the claims and purposes concerned are also marked where they are listed. */
export function AccreditationWarnings({ warnings }: { warnings: string[] }) {
  if (warnings.length === 0) return null;
  return (
    <section class="warning stack accreditation-warnings" aria-labelledby="accreditation-warnings-heading">
      <h2 id="accreditation-warnings-heading" class="card-heading">
        ⚠ Beyond the accreditation
      </h2>
      <ul>
        {warnings.map((warning, index) => (
          <li key={`${index}-${warning}`} data-testid="accreditation-warning">
            {warning}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function GuardianRole({ guardian }: { guardian: GuardianView }) {
  const role = guardianRoleWord(guardian.role);
  return (
    <section class="note guardian-role" data-testid="guardian-role" aria-labelledby="guardian-role-heading">
      <h2 id="guardian-role-heading" class="card-heading">
        On behalf of a child
      </h2>
      <p>
        You share this as the child&apos;s {role}
        {guardian.comesOfAgeAt ? (
          <>
            ; the grant ends on <strong>{formatDay(guardian.comesOfAgeAt)}</strong> when the child comes of age, unless
            renewed.
          </>
        ) : (
          '.'
        )}
      </p>
      <code class="muted small">{guardian.role}</code>
    </section>
  );
}
