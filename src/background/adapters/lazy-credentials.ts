/** The worker's third classic script (vite.config.ts, `credentials` pass): the credential code. */
export const CREDENTIALS_SCRIPT = 'credentials.js';

/**
 * The modules credentials.js holds, by their path under src/. Code in background.js
 * reaches them only through `import()`, which the build turns into a call of
 * `credentialsModule` (scripts/build-plugins.ts, credentialsFromScript), so the
 * Veramo agent, the credential formats, DCQL and OpenID4VP are neither parsed nor
 * compiled at a worker start that does not use them (a silent login, an alarm).
 */
export const CREDENTIAL_SCRIPT_MODULES = [
  'core/wallet/credential-services.ts',
  'core/credentials/veramo-credential-store.ts',
  'core/identity/did-resolvers.ts',
  'core/identity/agent.ts',
] as const;

export type CredentialScriptModule = (typeof CREDENTIAL_SCRIPT_MODULES)[number];

/** What credentials.js puts on the worker's global object (src/background/credentials-entry.ts). */
export type CredentialScript = Record<CredentialScriptModule, unknown>;

declare global {
  var __tesseraCredentials: CredentialScript | undefined;
}

/**
 * The module namespace of one of CREDENTIAL_SCRIPT_MODULES, importing credentials.js
 * on first use. Like chain.js, it can be imported at any time because the worker
 * imported it during its `install` event (src/background/index.ts); a failed import
 * throws, and the next call tries again.
 */
export function credentialsModule(key: string, load: () => CredentialScript = importCredentialsScript): unknown {
  const modules = load();
  if (!Object.hasOwn(modules, key)) throw new Error(`${CREDENTIALS_SCRIPT} does not hold ${key}.`);
  return modules[key as CredentialScriptModule];
}

function importCredentialsScript(): CredentialScript {
  if (!globalThis.__tesseraCredentials) {
    try {
      importScripts(CREDENTIALS_SCRIPT);
    } catch (error) {
      throw new Error(`The credential code (${CREDENTIALS_SCRIPT}) could not be loaded: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  const loaded = globalThis.__tesseraCredentials;
  if (!loaded) throw new Error(`${CREDENTIALS_SCRIPT} ran but did not provide the credential code.`);
  return loaded;
}
