/**
 * The backup part of `npm run bench` (Node, with the credentials part): exporting and
 * restoring an encrypted backup of a wallet with 1,000 sealed records of 2 KB (the
 * shape EncryptedCollection stores: an iv and a ciphertext per record), against the
 * least any passphrase-encrypted export does, run alternately in the same process:
 * PBKDF2-SHA-512 at the same 600,000 iterations, one AES-256-GCM over a JSON document
 * of the same records (bytes as base64), and the reverse. Both pay the same key
 * derivation, so the ratio shows what the backup format (header, digest, byte blob,
 * AES-KW wrapped content key, compact JWE) adds on top.
 */
import { performance } from 'node:perf_hooks';
import { decodeBackup, encodeBackup, type WalletBackup } from '../../src/core/backup/backup-file.ts';
import { BACKUP_DEFAULT_P2C, openBackup, sealBackup } from '../../src/core/backup/backup-jwe.ts';
import type { StoreSnapshot } from '../../src/core/ports.ts';
import { COLLECTIONS } from '../../src/core/storage/collections.ts';
import { makeRow, type Row } from './report.ts';

type Log = (message: string) => void;

const RECORDS = 1_000;
const RECORD_BYTES = 2_048;
const ITERATIONS = 7;
const PASSPHRASE = 'bench backup passphrase';

export interface BackupBenchResult {
  rows: Row[];
  fileBytes: number;
}

export async function runBackupBench(log: Log): Promise<BackupBenchResult> {
  log(`backup (Node): ${RECORDS} sealed records of ${RECORD_BYTES} B, PBKDF2 ${BACKUP_DEFAULT_P2C} iterations, ${ITERATIONS} rounds`);
  const backup: WalletBackup = { createdAt: new Date().toISOString(), secret: randomBytes(32), records: walletSnapshot() };
  const samples = { exportT: [] as number[], exportB: [] as number[], restoreT: [] as number[], restoreB: [] as number[] };
  let fileBytes = 0;
  for (let round = 0; round < ITERATIONS; round++) {
    // Alternate which goes first, so both share the machine's noise.
    const order = round % 2 === 0 ? ['tessera', 'baseline'] : ['baseline', 'tessera'];
    for (const who of order) {
      if (who === 'tessera') {
        const t0 = performance.now();
        const file = await sealBackup(await encodeBackup(backup), PASSPHRASE);
        const t1 = performance.now();
        const restored = await decodeBackup(await openBackup(file, PASSPHRASE));
        const t2 = performance.now();
        if (restored.records.credentials.length !== RECORDS) throw new Error('backup bench: the restored backup lost records');
        fileBytes = file.length;
        samples.exportT.push(t1 - t0);
        samples.restoreT.push(t2 - t1);
      } else {
        const t0 = performance.now();
        const sealed = await baselineSeal(backup);
        const t1 = performance.now();
        const records = await baselineOpen(sealed);
        const t2 = performance.now();
        if (records !== RECORDS) throw new Error('backup bench: the baseline lost records');
        samples.exportB.push(t1 - t0);
        samples.restoreB.push(t2 - t1);
      }
    }
  }
  const rows = [
    makeRow({ id: 'backup-export-1k', metric: `export backup @ ${RECORDS} records vs PBKDF2 + AES-GCM of JSON`, unit: 'ms', tessera: samples.exportT, baseline: samples.exportB }),
    makeRow({ id: 'backup-restore-1k', metric: `open backup @ ${RECORDS} records vs PBKDF2 + AES-GCM of JSON`, unit: 'ms', tessera: samples.restoreT, baseline: samples.restoreB }),
  ];
  log(`backup: file ${(fileBytes / 1e6).toFixed(2)} MB`);
  return { rows, fileBytes };
}

function walletSnapshot(): StoreSnapshot {
  const snapshot = Object.fromEntries(COLLECTIONS.map((name) => [name, [] as [string, unknown][]])) as StoreSnapshot;
  for (let i = 0; i < RECORDS; i++) {
    snapshot.credentials.push([`slot-${i}`, { v: 1, iv: randomBytes(12), data: randomBytes(RECORD_BYTES) }]);
  }
  return snapshot;
}

interface BaselineSealed {
  salt: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  ciphertext: ArrayBuffer;
}

async function baselineSeal(backup: WalletBackup): Promise<BaselineSealed> {
  const json = JSON.stringify({
    secret: base64(backup.secret),
    records: backup.records.credentials.map(([key, value]) => {
      const sealed = value as { v: number; iv: Uint8Array; data: Uint8Array };
      return [key, { v: sealed.v, iv: base64(sealed.iv), data: base64(sealed.data) }];
    }),
  });
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await derive(salt, ['encrypt']);
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(json));
  return { salt, iv, ciphertext };
}

async function baselineOpen(sealed: BaselineSealed): Promise<number> {
  const key = await derive(sealed.salt, ['decrypt']);
  const plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, key, sealed.ciphertext);
  const document = JSON.parse(new TextDecoder().decode(plaintext)) as { records: [string, { iv: string; data: string }][] };
  for (const [, value] of document.records) {
    Buffer.from(value.iv, 'base64');
    Buffer.from(value.data, 'base64');
  }
  return document.records.length;
}

async function derive(salt: Uint8Array<ArrayBuffer>, usages: KeyUsage[]): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(PASSPHRASE), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-512', salt, iterations: BACKUP_DEFAULT_P2C },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    usages,
  );
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return bytes;
}
