/**
 * credentials.js, the worker's third classic script (vite.config.ts, `credentials`
 * pass): the modules background.js loads with `import()`, kept out of it so a worker
 * start does not parse them. Running it evaluates those modules and puts their
 * namespaces on one global; the worker runs it during `install` (to have it cached)
 * and again when credential code is first needed (adapters/lazy-credentials.ts).
 */
import * as veramoCredentialStore from '../core/credentials/veramo-credential-store.ts';
import * as agent from '../core/identity/agent.ts';
import * as didResolvers from '../core/identity/did-resolvers.ts';
import * as credentialServices from '../core/wallet/credential-services.ts';
import type { CredentialScript } from './adapters/lazy-credentials.ts';

const modules: CredentialScript = {
  'core/wallet/credential-services.ts': credentialServices,
  'core/credentials/veramo-credential-store.ts': veramoCredentialStore,
  'core/identity/did-resolvers.ts': didResolvers,
  'core/identity/agent.ts': agent,
};
globalThis.__tesseraCredentials = modules;
