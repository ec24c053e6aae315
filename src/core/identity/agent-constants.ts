/** The key management system name our agent registers (kms-local). */
export const LOCAL_KMS = 'local';
