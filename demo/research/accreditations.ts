/**
 * The accreditations the research portal can present, one per requester mode: its real
 * one from the ethics board, none at all, and the forgeries the wallet must refuse,
 * each forged only in the way its name says:
 * - `bad-signature`: the real accreditation with its approved claims widened (birth
 *   date and address added) and the board's signature kept, so it no longer verifies;
 * - `other-origin`: genuinely issued by the board, but for another web origin;
 * - `expired`: genuinely issued by the board, for a year that ended last year;
 * - `untrusted-issuer`: well formed and validly signed, by a body no one put on a list.
 * Each is made the first time it is asked for, so the board lists only what was used.
 */
import { decodeJwtPayload } from '../verify.ts';
import { AccreditationBody, type AccreditationSubject, type AccreditationValidity } from '../accreditor/accreditation.ts';
import { accreditationApplication } from './study.ts';

export const REQUESTER_MODES = ['accredited', 'none', 'bad-signature', 'other-origin', 'expired', 'untrusted-issuer'] as const;
export type RequesterMode = (typeof REQUESTER_MODES)[number];

export function isRequesterMode(value: unknown): value is RequesterMode {
  return typeof value === 'string' && (REQUESTER_MODES as readonly string[]).includes(value);
}

/** The origin the `other-origin` accreditation names instead of the portal's. */
export const OTHER_ORIGIN = 'https://portal.aich.example';
export const UNLISTED_BODY_NAME = 'Aldmere Independent Research Council';
/** Where the portal publishes the unlisted body's status list (so its accreditation is complete). */
export const UNLISTED_BODY_PATH = '/unlisted-body';
const YEAR_MS = 365 * 86_400_000;

/** What the portal needs of an accreditation body: `startAccreditor()`'s `issue`, or `accreditorAt(url)`. */
export interface AccreditorLink {
  issue(subjectDid: string, subject: AccreditationSubject, validity?: AccreditationValidity): Promise<{ id: string; credential: string }>;
}

/** An accreditation body reached over HTTP (`POST <url>/api/issue`, as a local script). */
export function accreditorAt(url: string): AccreditorLink {
  const base = url.replace(/\/+$/, '');
  return {
    async issue(subjectDid, subject, validity = {}) {
      const response = await fetch(`${base}/api/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          subject: subjectDid,
          accreditation: subject,
          validFrom: validity.validFrom?.toISOString(),
          validUntil: validity.validUntil?.toISOString(),
        }),
      });
      const body = (await response.json().catch(() => ({}))) as { id?: unknown; credential?: unknown; error?: unknown };
      if (!response.ok || typeof body.id !== 'string' || typeof body.credential !== 'string') {
        throw new Error(`the accreditation body at ${base} did not accredit: ${typeof body.error === 'string' ? body.error : `HTTP ${response.status}`}`);
      }
      return { id: body.id, credential: body.credential };
    },
  };
}

/** A compact JWT with its payload replaced and its original signature kept. */
export function withAlteredPayload(jwt: string, alter: (payload: Record<string, unknown>) => void): string {
  const [header, , signature] = jwt.split('.');
  const payload = structuredClone(decodeJwtPayload(jwt));
  alter(payload);
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}

export interface AccreditationSourceOptions {
  /** The portal's DID (every accreditation's subject). */
  subjectDid: string;
  /** The portal's origin. */
  origin: string;
  /** The real board; without one the portal has no accreditation of its own. */
  accreditor?: AccreditorLink;
  /** Whether the board approved AI model training for the study. */
  aiTraining?: boolean;
}

export class AccreditationSource {
  /** The body that is on nobody's list; the portal serves its status list. */
  readonly unlistedBody: AccreditationBody;
  private readonly made = new Map<RequesterMode, Promise<{ id: string; credential: string }>>();

  constructor(private readonly options: AccreditationSourceOptions) {
    this.unlistedBody = new AccreditationBody({ baseUrl: `${options.origin}${UNLISTED_BODY_PATH}`, name: UNLISTED_BODY_NAME });
  }

  get hasAccreditor(): boolean {
    return this.options.accreditor !== undefined;
  }

  /** The accreditation presented in `mode` (null for `none`); throws if the mode needs the board and there is none. */
  async credentialFor(mode: RequesterMode): Promise<{ id: string; credential: string } | null> {
    if (mode === 'none') return null;
    let made = this.made.get(mode);
    if (!made) {
      made = this.make(mode);
      this.made.set(mode, made);
      made.catch(() => this.made.delete(mode));
    }
    return await made;
  }

  private async make(mode: Exclude<RequesterMode, 'none'>): Promise<{ id: string; credential: string }> {
    const { subjectDid, origin, aiTraining } = this.options;
    const application = (origins: string[]) => accreditationApplication(origins, { aiTraining });
    if (mode === 'untrusted-issuer') return await this.unlistedBody.issue(subjectDid, application([origin]));
    const board = this.options.accreditor;
    if (!board) throw new Error(`this portal has no accreditation body, so it has no accreditation to present in mode ${mode}`);
    switch (mode) {
      case 'accredited':
        return await board.issue(subjectDid, application([origin]));
      case 'other-origin':
        return await board.issue(subjectDid, application([OTHER_ORIGIN]));
      case 'expired': {
        const now = Date.now();
        return await board.issue(subjectDid, application([origin]), { validFrom: new Date(now - 2 * YEAR_MS), validUntil: new Date(now - YEAR_MS) });
      }
      case 'bad-signature': {
        const real = await this.credentialFor('accredited');
        const credential = withAlteredPayload(real!.credential, (payload) => {
          const subject = (payload.vc as { credentialSubject: AccreditationSubject }).credentialSubject;
          for (const study of subject.studies) study.claims.push(['birthdate'], ['address']);
        });
        return { id: real!.id, credential };
      }
    }
  }
}
