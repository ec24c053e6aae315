/**
 * The study the research portal runs and what it asks a parent's wallet for: the
 * institution's application to the accreditation body, the purposes, and the DCQL
 * query of the research contract (a precise and a generalised claim set; the wallet,
 * not the portal, proposes the less identifying one).
 */
import type { DcqlCredentialQuery } from '../city/verifier.ts';
import type { AccreditationSubject, AccreditedStudy } from '../accreditor/accreditation.ts';
import { PEDIATRIC_HEALTH_VCT } from '../clinic/health-credential.ts';

export const INSTITUTION_NAME = 'Aldmere Institute for Child Health';
export const STUDY_ID = 'AICH-2026-014';
export const AI_TRAINING_PURPOSE = 'tessera:AIModelTraining';
/** Scientific research, for health/medical/biomedical use (GA4GH DUO). */
export const RESEARCH_PURPOSES = ['dpv:ScientificResearch', 'duo:0000006'] as const;
export const STUDY_DURATION_DAYS = 365;
export const STUDY_RETENTION_DAYS = 730;
export const HEALTH_QUERY_ID = 'child_health';

/** A DCQL query whose credential queries may offer alternative claim sets. */
export interface StudyQuery {
  credentials: (DcqlCredentialQuery & { claim_sets?: string[][] })[];
}

/** The study as the ethics board approved it; AI model training among its uses only when `aiTraining` is approved. */
export function approvedStudy({ aiTraining = false } = {}): AccreditedStudy {
  return {
    id: STUDY_ID,
    title: 'Childhood asthma and air quality',
    ethicsApproval: 'AERB-2026-117',
    dataUses: ['duo:0000006', 'duo:0000007', ...(aiTraining ? [AI_TRAINING_PURPOSE] : [])],
    dataCategories: ['health'],
    claims: [['age_band'], ['region'], ['diagnosis_codes']],
    validUntil: '2027-12-31T00:00:00Z',
  };
}

/** What the institution applies to be accredited for, for the web origins it uses. */
export function accreditationApplication(origins: string[], options: { aiTraining?: boolean } = {}): AccreditationSubject {
  return {
    name: INSTITUTION_NAME,
    origins,
    affiliationAndRole: 'researcher@aich.example',
    researcherStatus: 'bona fide researcher',
    studies: [approvedStudy(options)],
  };
}

/** The purposes of one request: research, and AI model training only when the researcher ticked it. */
export function studyPurposes(ai: boolean): string[] {
  return [...RESEARCH_PURPOSES, ...(ai ? [AI_TRAINING_PURPOSE] : [])];
}

/** The child's health summary: precise (birth date, address) or generalised (age band, region) claims, with the diagnosis codes. */
export function childHealthQuery(): StudyQuery {
  return {
    credentials: [
      {
        id: HEALTH_QUERY_ID,
        format: 'dc+sd-jwt',
        meta: { vct_values: [PEDIATRIC_HEALTH_VCT] },
        claims: [
          { id: 'birthdate', path: ['birthdate'] },
          { id: 'address', path: ['address'] },
          { id: 'age_band', path: ['age_band'] },
          { id: 'region', path: ['region'] },
          { id: 'dx', path: ['diagnosis_codes'] },
        ],
        claim_sets: [
          ['birthdate', 'address', 'dx'],
          ['age_band', 'region', 'dx'],
        ],
      },
    ],
  };
}
