import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { fromUtf8, toBase64Url, utf8 } from '../encoding.ts';
import { BACKUP_MAX_P2C, BACKUP_MIN_P2C, openBackup, readBackupJwe, sealBackup } from './backup-jwe.ts';

const PASS = 'correct horse battery';
const joseOptions = { keyManagementAlgorithms: ['PBES2-HS512+A256KW'], contentEncryptionAlgorithms: ['A256GCM'], maxPBES2Count: BACKUP_MAX_P2C };

function joseSeal(plaintext: string, p2c: number, passphrase = PASS, alg = 'PBES2-HS512+A256KW'): Promise<string> {
  return new CompactEncrypt(utf8(plaintext)).setProtectedHeader({ alg, enc: 'A256GCM' }).setKeyManagementParameters({ p2c }).encrypt(utf8(passphrase));
}

/** The same file with one base64url character of part `index` changed. */
function tamper(jwe: string, index: number): string {
  const parts = jwe.split('.');
  const part = parts[index]!;
  const at = Math.floor(part.length / 2);
  parts[index] = part.slice(0, at) + (part[at] === 'A' ? 'B' : 'A') + part.slice(at + 1);
  return parts.join('.');
}

describe('backup JWE (PBES2-HS512+A256KW, A256GCM)', () => {
  it('seals with p2c 600,000 and a fresh salt, and jose opens it', async () => {
    const jwe = await sealBackup(utf8('the wallet'), PASS);
    const header = decodeProtectedHeader(jwe);
    expect(header).toMatchObject({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', p2c: 600_000 });
    expect(typeof header.p2s).toBe('string');
    const { plaintext } = await compactDecrypt(jwe, utf8(PASS), joseOptions);
    expect(fromUtf8(plaintext)).toBe('the wallet');
    expect(fromUtf8(await openBackup(jwe, PASS))).toBe('the wallet');
  });

  it('opens a file jose made', async () => {
    const jwe = await joseSeal('made by jose', 600_000);
    expect(fromUtf8(await openBackup(jwe, PASS))).toBe('made by jose');
  });

  it('says "wrong backup passphrase" for a wrong passphrase', async () => {
    const jwe = await sealBackup(utf8('x'), PASS);
    await expect(openBackup(jwe, 'not the passphrase')).rejects.toMatchObject({ code: 'wrong_password', message: 'Wrong backup passphrase.' });
  });

  it('calls a changed ciphertext, IV or header damage, not a wrong passphrase', async () => {
    const jwe = await sealBackup(utf8('some longer content of the wallet'), PASS);
    await expect(openBackup(tamper(jwe, 3), PASS)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/damaged/) });
    await expect(openBackup(tamper(jwe, 2), PASS)).rejects.toMatchObject({ code: 'invalid_input' });
    // A header changed after sealing is bound as associated data: the tag fails.
    const [h, ...rest] = jwe.split('.');
    const header = JSON.parse(fromUtf8(Uint8Array.from(atob(h!.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
    const changed = [toBase64Url(utf8(JSON.stringify({ ...header, cty: 'text/plain' }))), ...rest].join('.');
    await expect(openBackup(changed, PASS)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/damaged/) });
  });

  it('refuses a truncated file and one that is not a JWE', async () => {
    const jwe = await sealBackup(utf8('x'), PASS);
    await expect(openBackup(jwe.slice(0, jwe.length - 10), PASS)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/tag/) });
    await expect(openBackup(jwe.slice(0, jwe.lastIndexOf('.')), PASS)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/five parts/) });
    await expect(openBackup('{"not":"a backup"}', PASS)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(openBackup('a.b!.c.d.e', PASS)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/damaged/) });
  });

  it('refuses p2c below 600,000 (a jose file with p2c 1000) and absurd counts, before deriving anything', async () => {
    const weak = await joseSeal('weak', 1000);
    const started = performance.now();
    await expect(openBackup(weak, PASS)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/p2c 1000/) });
    expect(performance.now() - started).toBeLessThan(100);
    const header = (p2c: unknown) => toBase64Url(utf8(JSON.stringify({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', p2c, p2s: 'AAAAAAAAAAAAAAAAAAAAAA' })));
    const rest = weak.split('.').slice(1).join('.');
    for (const p2c of [BACKUP_MIN_P2C - 1, BACKUP_MAX_P2C + 1, 2 ** 31, 600_000.5, '600000', null]) {
      expect(() => readBackupJwe(`${header(p2c)}.${rest}`)).toThrow(/p2c/);
    }
    expect(readBackupJwe(`${header(BACKUP_MAX_P2C)}.${rest}`).p2c).toBe(BACKUP_MAX_P2C);
  });

  it('refuses other algorithms', async () => {
    const other = await joseSeal('other', 600_000, PASS, 'PBES2-HS256+A128KW');
    expect(() => readBackupJwe(other)).toThrow(/key algorithm/);
  });
});
