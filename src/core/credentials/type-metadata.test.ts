import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { HttpFetcher } from '../ports.ts';
import { integrityMismatch } from './subresource-integrity.ts';
import { TYPE_METADATA_MAX_BYTES, typeMetadataFor } from './type-metadata.ts';
import type { ClaimEntry, VerifiedCredential } from './types.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2]);
type Served = { body: Buffer; type: string; status?: number };

/** An in-memory web: URL → body; records what was fetched. */
function web(pages: Record<string, Served | object>) {
  const fetched: string[] = [];
  const fetcher: HttpFetcher = {
    get: async (url, _limits, options) => {
      fetched.push(url);
      const page = pages[url];
      if (!page) return { status: 404, contentType: 'text/plain', body: '' };
      const served: Served = 'body' in page && Buffer.isBuffer(page.body) ? (page as Served) : { body: Buffer.from(JSON.stringify(page)), type: 'application/json' };
      return { status: served.status ?? 200, contentType: served.type, body: options?.bodyEncoding === 'base64' ? served.body.toString('base64') : served.body.toString('utf8') };
    },
    post: async () => {
      throw new Error('no POST here');
    },
  };
  return { fetcher, fetched };
}

const sri = (alg: 'sha256' | 'sha384' | 'sha512', value: Buffer | object) =>
  `${alg}-${createHash(alg).update(Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).digest('base64')}`;

const VCT = 'https://issuer.example/pid';
const BASE = 'https://types.example/base-id';

function credential(document: Record<string, unknown> = {}, claims: ClaimEntry[] = [], vct = VCT): Pick<VerifiedCredential, 'format' | 'vct' | 'document' | 'claims'> {
  return { format: 'dc+sd-jwt', vct, document: { vct, ...document }, claims };
}

const pid = {
  vct: VCT,
  name: 'PID',
  display: [
    { locale: 'de', name: 'Personalausweis', rendering: { simple: { background_color: '#12107c', text_color: '#ffffff', logo: { uri: 'https://issuer.example/logo.png', 'uri#integrity': sri('sha256', PNG), alt_text: 'Adler' } } } },
    { lang: 'en-US', name: 'Identity card' },
  ],
  claims: [
    { path: ['given_name'], display: [{ locale: 'de', label: 'Vorname' }, { locale: 'en', label: 'Given name' }], sd: 'always' },
    { path: ['nationalities', null], display: [{ locale: 'en', name: 'Nationality' }] },
  ],
};

describe('SD-JWT VC type metadata', () => {
  it('reads cards, colours, a checked logo and claim labels from a vct whose integrity matches', async () => {
    const { fetcher } = web({ [VCT]: pid, 'https://issuer.example/logo.png': { body: PNG, type: 'image/png' } });
    const outcome = await typeMetadataFor(fetcher, credential({ 'vct#integrity': sri('sha256', pid) }));
    expect(outcome.kind).toBe('used');
    if (outcome.kind !== 'used') return;
    expect(outcome.display).toMatchObject({ source: 'type-metadata', vct: VCT, integrity: sri('sha256', pid) });
    expect(outcome.display.cards).toEqual([
      { locale: 'de', name: 'Personalausweis', backgroundColor: '#12107c', textColor: '#ffffff', logo: { dataUri: `data:image/png;base64,${PNG.toString('base64')}`, alt: 'Adler' } },
      { locale: 'en-US', name: 'Identity card' },
    ]);
    expect(outcome.display.claims).toEqual([
      { path: ['given_name'], labels: [{ locale: 'de', label: 'Vorname' }, { locale: 'en', label: 'Given name' }], sd: 'always' },
      { path: ['nationalities', null], labels: [{ locale: 'en', label: 'Nationality' }] },
    ]);
  });

  it('refuses metadata whose bytes do not match vct#integrity, with the reason, and never uses it', async () => {
    const { fetcher } = web({ [VCT]: pid });
    const outcome = await typeMetadataFor(fetcher, credential({ 'vct#integrity': sri('sha256', { other: true }) }));
    expect(outcome).toEqual({ kind: 'not-used', reason: expect.stringMatching(/^Type metadata not used: https:\/\/issuer\.example\/pid does not match its integrity: its sha256 digest is sha256-/) });
  });

  it('uses the strongest algorithm given and accepts base64url digests', async () => {
    const bytes = Buffer.from(JSON.stringify(pid));
    expect(await integrityMismatch(`${sri('sha256', { no: 1 })} ${sri('sha512', pid)}`, new Uint8Array(bytes))).toBeNull();
    expect(await integrityMismatch(`${sri('sha256', pid)} ${sri('sha384', { no: 1 })}`, new Uint8Array(bytes))).toMatch(/sha384/);
    const url = sri('sha384', pid).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(await integrityMismatch(url, new Uint8Array(bytes))).toBeNull();
    expect(await integrityMismatch('md5-abc', new Uint8Array(bytes))).toMatch(/names no sha256/);
  });

  it('follows extends with its integrity, the nearer type winning per locale and path, a parent\'s sd always kept', async () => {
    const base = {
      vct: BASE,
      display: [{ locale: 'de', name: 'Basis' }, { locale: 'fr', name: 'Carte' }],
      claims: [
        { path: ['given_name'], display: [{ locale: 'fr', label: 'Prénom' }], sd: 'never' },
        { path: ['birthdate'], display: [{ locale: 'en', label: 'Date of birth' }], sd: 'always' },
      ],
    };
    const child = { vct: VCT, extends: BASE, 'extends#integrity': sri('sha256', base), display: [{ locale: 'de', name: 'Kind' }], claims: [{ path: ['given_name'], display: [{ label: 'Name' }], sd: 'allowed' }, { path: ['birthdate'], sd: 'allowed' }] };
    const { fetcher, fetched } = web({ [VCT]: child, [BASE]: base });
    const outcome = await typeMetadataFor(fetcher, credential());
    expect(fetched).toEqual([VCT, BASE]);
    if (outcome.kind !== 'used') throw new Error(JSON.stringify(outcome));
    expect(outcome.display.cards.map((c) => c.name)).toEqual(['Kind', 'Carte']);
    expect(outcome.display.claims).toEqual([
      { path: ['given_name'], labels: [{ label: 'Name' }], sd: 'never' },
      { path: ['birthdate'], labels: [{ locale: 'en', label: 'Date of birth' }], sd: 'always' },
    ]);
  });

  it('refuses a parent that fails extends#integrity', async () => {
    const base = { vct: BASE, display: [{ name: 'Basis' }] };
    const { fetcher } = web({ [VCT]: { vct: VCT, extends: BASE, 'extends#integrity': sri('sha256', { tampered: 1 }) }, [BASE]: base });
    const outcome = await typeMetadataFor(fetcher, credential());
    expect(outcome).toMatchObject({ kind: 'not-used', reason: expect.stringContaining(`${BASE} does not match its integrity`) });
  });

  it('stops at a cycle and at a chain deeper than the bound', async () => {
    const cyclic = web({ [VCT]: { vct: VCT, extends: BASE }, [BASE]: { vct: BASE, extends: VCT } });
    expect(await typeMetadataFor(cyclic.fetcher, credential())).toMatchObject({ kind: 'not-used', reason: expect.stringContaining('extends itself (a cycle)') });
    expect(cyclic.fetched).toEqual([VCT, BASE]);
    const pages: Record<string, object> = {};
    for (let i = 0; i < 10; i++) pages[i === 0 ? VCT : `https://types.example/${i}`] = { vct: i === 0 ? VCT : `https://types.example/${i}`, extends: `https://types.example/${i + 1}` };
    const deep = web(pages);
    expect(await typeMetadataFor(deep.fetcher, credential())).toMatchObject({ kind: 'not-used', reason: expect.stringContaining('longer than 4') });
    expect(deep.fetched).toHaveLength(5);
  });

  it('gives up on a chain that takes longer than its time budget', async () => {
    const pages: Record<string, object> = {};
    for (let i = 0; i < 4; i++) pages[i === 0 ? VCT : `https://types.example/${i}`] = { vct: i === 0 ? VCT : `https://types.example/${i}`, ...(i < 3 ? { extends: `https://types.example/${i + 1}` } : {}) };
    const { fetcher, fetched } = web(pages);
    const slow: HttpFetcher = { ...fetcher, get: async (...args) => (await new Promise((resolve) => setTimeout(resolve, 40)), fetcher.get(...args)) };
    expect(await typeMetadataFor(slow, credential(), { budgetMs: 100 })).toMatchObject({ kind: 'not-used', reason: expect.stringMatching(/took longer than 0.1 s|no answer within/) });
    expect(fetched.length).toBeLessThan(4);
    expect((await typeMetadataFor(slow, credential(), { budgetMs: 2_000 })).kind).toBe('used');
  });

  it('refuses an oversized document, one for another type, a non-JSON body and an HTTP error', async () => {
    const big = { vct: VCT, description: 'x'.repeat(TYPE_METADATA_MAX_BYTES) };
    expect(await typeMetadataFor(web({ [VCT]: big }).fetcher, credential())).toMatchObject({ kind: 'not-used', reason: expect.stringMatching(/larger|256/) });
    expect(await typeMetadataFor(web({ [VCT]: { vct: 'https://evil.example/t' } }).fetcher, credential())).toMatchObject({ reason: expect.stringContaining('describes another type') });
    expect(await typeMetadataFor(web({ [VCT]: { body: Buffer.from('<html>'), type: 'text/html' } }).fetcher, credential())).toMatchObject({ reason: expect.stringContaining('is not JSON') });
    expect(await typeMetadataFor(web({}).fetcher, credential())).toMatchObject({ reason: expect.stringContaining('answered HTTP 404') });
  });

  it('fetches nothing for a URN vct, a W3C credential or a private address, and refuses the last with the policy\'s reason', async () => {
    const { fetcher, fetched } = web({});
    expect(await typeMetadataFor(fetcher, credential({}, [], 'urn:eudi:pid:1'))).toEqual({ kind: 'none' });
    expect(await typeMetadataFor(fetcher, { ...credential(), format: 'jwt_vc_json' })).toEqual({ kind: 'none' });
    expect(await typeMetadataFor(fetcher, credential({}, [], 'http://192.168.1.2/type'))).toMatchObject({ kind: 'not-used' });
    expect(await typeMetadataFor(fetcher, credential({}, [], 'http://issuer.example/type'))).toMatchObject({ kind: 'not-used' });
    expect(fetched).toEqual([]);
  });

  it('leaves out a logo that fails its integrity or is not an image, keeping the card', async () => {
    const meta = { vct: VCT, display: [{ name: 'A', rendering: { simple: { logo: { uri: 'https://issuer.example/logo.png', 'uri#integrity': sri('sha256', Buffer.from('other')) } } } }, { locale: 'de', name: 'B', rendering: { simple: { logo: { uri: 'https://issuer.example/page' } } } }] };
    const { fetcher } = web({ [VCT]: meta, 'https://issuer.example/logo.png': { body: PNG, type: 'image/png' }, 'https://issuer.example/page': { body: Buffer.from('<svg onload=x>'), type: 'text/html' } });
    const outcome = await typeMetadataFor(fetcher, credential());
    expect(outcome.kind === 'used' && outcome.display.cards).toEqual([{ name: 'A' }, { locale: 'de', name: 'B' }]);
  });

  it('fetches a logo once however many cards name it, and at most four distinct logos', async () => {
    const logo = (n: number) => ({ uri: `https://issuer.example/logo-${n}.png` });
    const cards = [0, 0, 1, 2, 3, 4, 5].map((n, i) => ({ locale: `x-${i}`, name: `Card ${i}`, rendering: { simple: { logo: logo(n) } } }));
    const pages: Record<string, Served | object> = { [VCT]: { vct: VCT, display: cards } };
    for (let n = 0; n < 6; n++) pages[`https://issuer.example/logo-${n}.png`] = { body: PNG, type: 'image/png' };
    const { fetcher, fetched } = web(pages);
    const outcome = await typeMetadataFor(fetcher, credential());
    expect(fetched.filter((u) => u.includes('logo-'))).toEqual([0, 1, 2, 3].map((n) => `https://issuer.example/logo-${n}.png`));
    expect(outcome.kind === 'used' && outcome.display.cards.map((c) => Boolean(c.logo))).toEqual([true, true, true, true, true, false, false]);
  });

  it('warns when a claim arrived against its sd rule', async () => {
    const meta = { vct: VCT, claims: [{ path: ['given_name'], sd: 'always' }, { path: ['nationalities', null], sd: 'always' }, { path: ['iss'], sd: 'never' }] };
    const claims: ClaimEntry[] = [
      { path: ['given_name'], value: 'Ada', disclosable: false },
      { path: ['nationalities', 0], value: 'DE', disclosable: true },
      { path: ['nationalities', 1], value: 'FR', disclosable: false },
      { path: ['iss'], value: 'x', disclosable: true },
    ];
    const outcome = await typeMetadataFor(web({ [VCT]: meta }).fetcher, credential({}, claims));
    expect(outcome.kind === 'used' && outcome.warnings).toEqual([
      'given_name should be selectively disclosable by its type, but arrived always shown',
      'nationalities[1] should be selectively disclosable by its type, but arrived always shown',
      'iss should never be selectively disclosable by its type, but arrived as a disclosure',
    ]);
  });
});
