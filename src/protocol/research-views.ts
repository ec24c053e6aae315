/**
 * What the extension's pages show of research access (DESIGN.md §8): the accreditation
 * trust list, the data-category policy, and the parts of a consent window that say who
 * asks and where a request goes beyond what the requester is accredited for.
 */

/** An accreditation body the user trusts (an ethics board, a data-access committee). */
export interface AccreditorView {
  did: string;
  label: string;
  addedAt: string;
}

/** A data category: a credential is in it when one of the patterns occurs in its `vct` or a VC type (case-insensitive). */
export interface DataCategoryRuleView {
  name: string;
  typePatterns: string[];
}

export interface ResearchPolicyView {
  categories: DataCategoryRuleView[];
  /** Categories never shared with an unverified requester (default: health). */
  sensitive: string[];
}

/** The accreditation facts of a verified requester, as checked (§8). */
export interface VerifiedRequesterView {
  verified: true;
  origin: string;
  /** The institution's name from the accreditation. */
  name: string;
  /** The requester's DID (the accreditation's subject and the VP's signer). */
  did: string;
  /** The accreditation body's label on the user's list. */
  accreditor: string;
  accreditorDid: string;
  affiliationAndRole: string | null;
  researcherStatus: string | null;
  /** The study the request is made for. */
  study: string | null;
  studyId: string | null;
  ethicsApproval: string | null;
  /** The study's approved data uses (DUO terms). */
  dataUses: string[];
  dataCategories: string[];
  /** The claim paths the study may ask for. */
  claims: (string | number | null)[][];
  /** Until when the study's approval holds (ISO), or null. */
  validUntil: string | null;
}

/** A requester the wallet could not verify, and the first check that failed. */
export interface UnverifiedRequesterView {
  verified: false;
  origin: string;
  reason: string;
  /** The DID the requester claimed, if its presentation named one. */
  did?: string | null;
}

export type RequesterView = VerifiedRequesterView | UnverifiedRequesterView;

/** A child's credential shared by a parent or guardian (§8 Guardian). */
export interface GuardianView {
  /** `dpv:ParentOfDataSubject` or `dpv:GuardianOfDataSubject`. */
  role: string;
  /** When the child comes of age and the grant ends unless renewed (ISO date), or null. */
  comesOfAgeAt: string | null;
}
