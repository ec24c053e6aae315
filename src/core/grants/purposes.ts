/**
 * The purposes a requester may state (DESIGN.md §3.2), each a compact IRI with the
 * plain words the consent window shows. DPV (https://w3id.org/dpv#) for general
 * purposes, GA4GH DUO (http://purl.obolibrary.org/obo/DUO_) for research data uses.
 * Training AI models is a purpose of its own: never implied by any other term, and
 * shown and consented to separately.
 */
export interface PurposeTerm {
  term: string;
  label: string;
  /** What the requester may do with the data, in the holder's words. */
  description: string;
  /** A research purpose: direct identifiers asked for under it are flagged (§8). */
  research: boolean;
  /** Consented to separately (AI model training). */
  separate: boolean;
}

const dpv = (term: string, label: string, description: string, research = false): PurposeTerm => ({
  term: `dpv:${term}`,
  label,
  description,
  research,
  separate: false,
});
const duo = (id: string, label: string, description: string): PurposeTerm => ({
  term: `duo:${id}`,
  label,
  description,
  research: true,
  separate: false,
});

export const AI_MODEL_TRAINING = 'tessera:AIModelTraining';

const TERMS: readonly PurposeTerm[] = [
  dpv('ServiceProvision', 'Providing a service', 'to provide a service you asked for'),
  dpv('IdentityVerification', 'Verifying your identity', 'to check who you are'),
  dpv('AccountManagement', 'Managing your account', 'to create and manage an account for you'),
  dpv('CustomerManagement', 'Managing you as a customer', 'to keep and manage their customer records about you'),
  dpv('ServicePersonalisation', 'Personalising the service', 'to tailor their service to you'),
  dpv('ServiceOptimisation', 'Improving the service', 'to analyse and improve how their service works'),
  dpv('LegalCompliance', 'Meeting a legal obligation', 'because a law requires them to'),
  dpv('FraudPreventionAndDetection', 'Preventing fraud', 'to prevent and detect fraud'),
  dpv('EnforceSecurity', 'Keeping things secure', 'to protect their systems and your account'),
  dpv('Marketing', 'Marketing', 'to market products or services to you'),
  dpv('PersonalisedAdvertising', 'Personalised advertising', 'to show you advertising chosen for you'),
  dpv('PublicBenefit', 'Public benefit', 'for a purpose that benefits the public'),
  dpv('ResearchAndDevelopment', 'Research and development', 'to research and develop products or services', true),
  dpv('AcademicResearch', 'Academic research', 'for research at a university or similar academic body', true),
  dpv('ScientificResearch', 'Scientific research', 'for scientific research', true),
  dpv('CommercialResearch', 'Commercial research', 'for research by a company, for profit', true),
  dpv('NonCommercialResearch', 'Non-commercial research', 'for research not done for profit', true),
  duo('0000004', 'Any use (no restriction)', 'for any purpose, without restriction'),
  duo('0000042', 'General research use', 'for any kind of research'),
  duo('0000006', 'Health, medical or biomedical research', 'for health, medical or biomedical research'),
  duo('0000007', 'Research on a specific disease', 'for research on one named disease only'),
  duo('0000011', 'Population and ancestry research', 'for research on population origins or ancestry'),
  duo('0000043', 'Clinical care', 'for clinical care'),
  {
    term: AI_MODEL_TRAINING,
    label: 'Training AI models',
    description: 'to train artificial-intelligence models on your data — asked separately, never implied by another purpose',
    research: false,
    separate: true,
  },
];

const BY_TERM = new Map(TERMS.map((t) => [t.term, t]));

export function purposeTerm(term: string): PurposeTerm | undefined {
  return BY_TERM.get(term);
}

/** The stated purposes, de-duplicated in order; unknown terms named in the refusal. */
export function parsePurposes(input: string | readonly string[]): { ok: true; purposes: PurposeTerm[] } | { ok: false; unknown: string[] } {
  const terms = [...new Set(typeof input === 'string' ? [input] : input)];
  const unknown = terms.filter((t) => !BY_TERM.has(t));
  if (unknown.length > 0) return { ok: false, unknown };
  return { ok: true, purposes: terms.map((t) => BY_TERM.get(t)!) };
}

export const allPurposeTerms = (): readonly PurposeTerm[] => TERMS;
