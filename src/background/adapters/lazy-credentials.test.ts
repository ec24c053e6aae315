import { afterEach, describe, expect, it } from 'vitest';
import { CREDENTIAL_SCRIPT_MODULES, credentialsModule, type CredentialScript } from './lazy-credentials.ts';

describe('credentialsModule', () => {
  afterEach(() => {
    delete globalThis.__tesseraCredentials;
  });

  it("gives the named module's namespace from the loaded script", () => {
    const services = { createCredentialServices: () => 'services' };
    const script = { 'core/wallet/credential-services.ts': services } as unknown as CredentialScript;
    expect(credentialsModule('core/wallet/credential-services.ts', () => script)).toBe(services);
  });

  it('refuses a module the script does not hold, naming it', () => {
    expect(() => credentialsModule('core/wallet/lock-flow.ts', () => ({}) as CredentialScript)).toThrow(
      'credentials.js does not hold core/wallet/lock-flow.ts.',
    );
  });

  it('by default uses the global credentials.js defined, and says so when it cannot import the script', () => {
    expect(() => credentialsModule('core/identity/agent.ts')).toThrow(/^The credential code \(credentials\.js\) could not be loaded: importScripts is not defined/);
    const agent = { createIdentityAgent: () => 'agent' };
    globalThis.__tesseraCredentials = { 'core/identity/agent.ts': agent } as unknown as CredentialScript;
    expect(credentialsModule('core/identity/agent.ts')).toBe(agent);
  });

  it('the script (credentials-entry.ts) holds exactly the listed modules, with what background.js calls of each', async () => {
    await import('../credentials-entry.ts');
    const modules = globalThis.__tesseraCredentials as Record<string, Record<string, unknown>>;
    expect(Object.keys(modules).sort()).toEqual([...CREDENTIAL_SCRIPT_MODULES].sort());
    expect(typeof modules['core/wallet/credential-services.ts']?.createCredentialServices).toBe('function');
    expect(typeof modules['core/credentials/veramo-credential-store.ts']?.VeramoCredentialStore).toBe('function');
    expect(typeof modules['core/identity/did-resolvers.ts']?.createDidResolver).toBe('function');
    expect(typeof modules['core/identity/agent.ts']?.createIdentityAgent).toBe('function');
  });
});
