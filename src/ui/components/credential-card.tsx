/**
 * A credential's card as its issuer asks it to be shown: the name and description in
 * the reader's language, the issuer's colours (hex only, readable contrast, else the
 * wallet's own) and the logo kept with the credential (a data: URI, never a remote
 * image). Also what the wallet noticed about the display metadata (a refused integrity,
 * claims against their sd rules), so that a refused document is never taken for the
 * issuer's.
 */
import type { CredentialView } from '../../protocol/internal.ts';
import { cardColours } from './card-colours.ts';
import { browserLanguages, cardFor } from './claim-labels.ts';

const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp|svg\+xml)(;base64)?,/i;

export function CredentialCardFace({ credential, testId }: { credential: Pick<CredentialView, 'display'>; testId: string }) {
  const card = cardFor(credential.display, browserLanguages());
  if (!card) return null;
  const colours = cardColours(card.backgroundColor, card.textColor);
  const logo = card.logo && DATA_IMAGE.test(card.logo.dataUri) ? card.logo : undefined;
  return (
    // Spans only: the dashboard's list shows the face inside its card's button.
    <span
      class="credential-face"
      data-testid={testId}
      data-issuer-colours={colours ? 'yes' : 'no'}
      style={colours ? { backgroundColor: colours.background, color: colours.text } : undefined}
    >
      {logo ? <img class="credential-face-logo" src={logo.dataUri} alt={logo.alt ?? ''} width={40} height={40} /> : null}
      <span class="credential-face-text">
        <strong data-testid={`${testId}-name`}>{card.name}</strong>
        {card.description ? <span class="small credential-face-description">{card.description}</span> : null}
      </span>
    </span>
  );
}

/** Notes on the display metadata: why it is not used, or claims that arrived against its rules. */
export function DisplayNotes({ credential, testId }: { credential: Pick<CredentialView, 'displayNotes'>; testId: string }) {
  if (!credential.displayNotes?.length) return null;
  return (
    <div class="warning small" data-testid={testId}>
      <p>About this credential's display metadata:</p>
      <ul>
        {credential.displayNotes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </div>
  );
}
