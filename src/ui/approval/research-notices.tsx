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

/** `expiresAt`: when the grant would end; sooner than the coming of age when the asked term is shorter. */
export function GuardianRole({ guardian, expiresAt }: { guardian: GuardianView; expiresAt: string }) {
  const role = guardianRoleWord(guardian.role);
  const comesOfAge = guardian.comesOfAgeAt ? Date.parse(`${guardian.comesOfAgeAt}T00:00:00Z`) : null;
  const termEndsFirst = comesOfAge !== null && Date.parse(expiresAt) < comesOfAge;
  return (
    <section class="note guardian-role" data-testid="guardian-role" aria-labelledby="guardian-role-heading">
      <h2 id="guardian-role-heading" class="card-heading">
        On behalf of a child
      </h2>
      <p>
        You share this as the child&apos;s {role}
        {guardian.comesOfAgeAt && termEndsFirst ? (
          <>
            ; the grant ends with its term, and could never outlast <strong>{formatDay(guardian.comesOfAgeAt)}</strong>, when the
            child comes of age.
          </>
        ) : guardian.comesOfAgeAt ? (
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
