import { ed25519 } from '@noble/curves/ed25519';
import { describe, expect, it } from 'vitest';
import { fromBase64, randomBytes } from '../encoding.ts';
import { checkpointBody, keyHash, signCheckpoint, signNote, verifyCheckpoint, verifyNote, type CheckpointSigner } from './checkpoint.ts';
import { generateLedgerKey, ledgerSigner } from './ledger-key.ts';

// Test vector DATA from golang.org/x/mod/sumdb/note (note_test.go and its package
// documentation), the reference implementation of C2SP signed-note: the PeterNeumann
// key pair (verifier key = name+hash+base64(0x01 ‖ public key), signer key = …+base64(0x01 ‖ seed)),
// the note text and its signature line.
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

const peterPublic = fromBase64(PETER_VKEY.split('+').slice(2).join('+')).subarray(1);
const peterSeed = fromBase64(PETER_SKEY.split('+').slice(4).join('+')).subarray(1);
const peter: CheckpointSigner = { name: 'PeterNeumann', publicKey: peterPublic, sign: (m) => ed25519.sign(m, peterSeed) };

describe('C2SP signed note (Go reference vectors)', () => {
  it('computes the key hash of the reference key', () => {
    expect(Buffer.from(keyHash('PeterNeumann', peterPublic)).toString('hex')).toBe('c74f20a3');
  });

  it('signs the reference note byte for byte and verifies it', () => {
    const note = signNote(PETER_TEXT, peter);
    expect(note).toBe(`${PETER_TEXT}\n${PETER_SIG}`);
    expect(verifyNote(note, peterPublic)).toEqual({ text: PETER_TEXT, keyName: 'PeterNeumann' });
  });

  it('refuses the note with another key, a changed text or a mangled signature', () => {
    const note = `${PETER_TEXT}\n${PETER_SIG}`;
    expect(verifyNote(note, ed25519.getPublicKey(randomBytes(32)))).toBeNull();
    expect(verifyNote(note.replace('cryptography', 'Cryptography'), peterPublic)).toBeNull();
    expect(verifyNote(note.replace('x08go', 'x08gp'), peterPublic)).toBeNull();
    expect(verifyNote(note.slice(0, -1), peterPublic)).toBeNull();
  });
});

describe('Checkpoints', () => {
  const root = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
  const key = generateLedgerKey('tessera-ledger');
  const signer = ledgerSigner(key);

  it('has the tlog-checkpoint body with a standard-base64 root', () => {
    expect(checkpointBody('wallet.example/log', 42, root)).toBe(`wallet.example/log\n42\n${Buffer.from(root).toString('base64')}\n`);
    expect(() => checkpointBody('two\nlines', 1, root)).toThrow();
    expect(() => checkpointBody('o', -1, root)).toThrow();
  });

  it('signs and verifies, returning origin, size and root', () => {
    const note = signCheckpoint('wallet.example/log', 42, root, signer);
    expect(note.startsWith(`wallet.example/log\n42\n${Buffer.from(root).toString('base64')}\n\n\u2014 tessera-ledger `)).toBe(true);
    const checkpoint = verifyCheckpoint(note, signer.publicKey);
    expect(checkpoint).toEqual({ origin: 'wallet.example/log', size: 42, root, keyName: 'tessera-ledger' });
  });

  it('refuses a tampered checkpoint', () => {
    const note = signCheckpoint('wallet.example/log', 42, root, signer);
    expect(verifyCheckpoint(note.replace('\n42\n', '\n43\n'), signer.publicKey)).toBeNull();
    expect(verifyCheckpoint(note.replace('wallet.example', 'evil.example'), signer.publicKey)).toBeNull();
    const otherRoot = Buffer.from(root.map((b) => b ^ 1)).toString('base64');
    expect(verifyCheckpoint(note.replace(Buffer.from(root).toString('base64'), otherRoot), signer.publicKey)).toBeNull();
    expect(verifyCheckpoint(note, ledgerSigner(generateLedgerKey('tessera-ledger')).publicKey)).toBeNull();
    expect(verifyCheckpoint(note.replace('\u2014', '-'), signer.publicKey)).toBeNull();
  });

  it('refuses a signed note that is not a checkpoint', () => {
    expect(verifyCheckpoint(signNote('origin\n042\nAAAA\n', signer), signer.publicKey)).toBeNull();
    expect(verifyCheckpoint(signNote('origin\n1\nnot-base64!\n', signer), signer.publicKey)).toBeNull();
    expect(verifyCheckpoint(signNote('origin\n1\n', signer), signer.publicKey)).toBeNull();
  });

  it('accepts a cosigned checkpoint when one line is by the key', () => {
    const note = signCheckpoint('wallet.example/log', 1, root, signer);
    const witness = signNote(checkpointBody('wallet.example/log', 1, root), peter).split('\n\n')[1]!;
    expect(verifyCheckpoint(`${note}${witness}`, signer.publicKey)).toMatchObject({ size: 1 });
    expect(verifyCheckpoint(`${note}${witness}`, peterPublic)).toMatchObject({ size: 1, keyName: 'PeterNeumann' });
  });
});
