/**
 * Direct identifiers (the HIPAA Safe Harbor list, 45 CFR 164.514(b)(2)) as claim names
 * a credential uses, and how identifying a set of claims is: research requests get the
 * least identifying claim set that answers them, and direct identifiers are flagged.
 */
const BY_NAME: Record<string, string> = {};
const identify = (reason: string, ...names: string[]) => {
  for (const name of names) BY_NAME[normalise(name)] = reason;
};
identify('a name', 'name', 'given_name', 'family_name', 'full_name', 'middle_name', 'birth_family_name', 'birth_given_name', 'nickname');
identify('an address below state level', 'address', 'street_address', 'locality', 'postal_code', 'zip', 'zip_code', 'city', 'county', 'house_number', 'resident_address', 'place_of_birth', 'birth_place');
identify('a full date', 'birthdate', 'birth_date', 'date_of_birth', 'dob', 'admission_date', 'discharge_date', 'death_date', 'date_of_death', 'coming_of_age_date');
identify('a contact number', 'phone', 'phone_number', 'telephone', 'mobile', 'fax', 'fax_number');
identify('an email address', 'email', 'email_address');
identify(
  'a record or identification number',
  'ssn', 'social_security_number', 'medical_record_number', 'mrn', 'patient_id', 'record_number', 'health_plan_number', 'health_insurance_id',
  'account_number', 'personal_administrative_number', 'document_number', 'license_number', 'certificate_number', 'passport_number', 'tax_id', 'national_id',
);
identify('a vehicle or device identifier', 'vehicle_id', 'license_plate', 'device_id', 'serial_number');
identify('a web address or IP address', 'url', 'ip', 'ip_address');
identify('a biometric identifier or photograph', 'picture', 'photo', 'portrait', 'face_image', 'fingerprint', 'biometric');

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Why a claim path is a direct identifier (any of its names is on the list), or null. */
export function directIdentifierReason(path: readonly (string | number | null)[]): string | null {
  for (const part of [...path].reverse()) {
    if (typeof part === 'string' && part !== 'credentialSubject') {
      const reason = BY_NAME[normalise(part)];
      if (reason) return reason;
    }
  }
  return null;
}

/** How many direct identifiers a set of claim paths holds (lower is less identifying). */
export function identifyingScore(paths: readonly (readonly (string | number | null)[])[]): number {
  return paths.filter((path) => directIdentifierReason(path) !== null).length;
}
