import { readFileSync, realpathSync } from 'node:fs';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { CutoverError } from '../../core/errors.js';
import type { AuditConfig } from '../../core/schema/config.js';
import {
  createCheckpointSigner,
  createCheckpointVerifier,
  type CheckpointSigner,
  type CheckpointVerifier,
} from './checkpoint-signature.js';

export interface AuditKeys {
  /** set when `audit.signing_key` is configured and was asked for */
  signer?: CheckpointSigner;
  /** from `audit.public_key`, else derived from `audit.signing_key`; unset when neither is configured */
  verifier?: CheckpointVerifier;
}

export interface KeyPlaces {
  stateDir: string;
  /** where cutover.yaml is: relative key paths start there */
  configDir: string;
}

type Field = 'audit.signing_key' | 'audit.public_key';

const fail = (field: Field, message: string) => new CutoverError('E_INVALID_INPUT', `${field}: ${message}`);

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Refuses a key inside the state dir (also through symlinks): whoever can rewrite the journal
 * could then re-sign it, or swap the public key for their own. Checked by every command, before
 * the key is needed, since it is a mistake in cutover.yaml whatever the verb.
 */
export function assertKeysOutsideStateDir(audit: AuditConfig, places: KeyPlaces): void {
  const stateDir = resolve(places.stateDir);
  for (const [field, configured] of [
    ['audit.signing_key', audit.signing_key],
    ['audit.public_key', audit.public_key],
  ] as const) {
    if (configured === undefined) continue;
    const path = resolve(places.configDir, configured);
    if (isInside(stateDir, path) || isInside(real(stateDir), real(path)))
      throw fail(
        field,
        `${path} is inside the state dir ${stateDir}: whoever can rewrite the journal could use or replace it; keep it elsewhere`,
      );
  }
}

function readKeyFile(field: Field, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code);
    throw fail(field, `cannot read ${path}: ${why}`);
  }
}

/** Never quotes the key or node's parser message: either could carry key material. */
function parseKey(field: Field, path: string, text: string): KeyObject {
  const isPrivate = field === 'audit.signing_key';
  if (!isPrivate && text.includes('PRIVATE KEY'))
    throw fail(field, `${path} holds a private key; give its public half (openssl pkey -in KEY -pubout)`);
  let key: KeyObject;
  try {
    key = isPrivate ? createPrivateKey(text) : createPublicKey(text);
  } catch (err) {
    const encrypted = (err as { code?: string }).code === 'ERR_MISSING_PASSPHRASE';
    throw fail(
      field,
      encrypted
        ? `${path} is encrypted: cutover needs an unencrypted PEM key (protect the file instead)`
        : `${path} is not a PEM ${isPrivate ? 'private' : 'public'} key`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw fail(field, `${path} holds a key of type ${key.asymmetricKeyType ?? 'unknown'}, not ed25519`);
  return key;
}

function loadKey(field: Field, configured: string, places: KeyPlaces): KeyObject {
  const path = resolve(places.configDir, configured);
  return parseKey(field, path, readKeyFile(field, path));
}

/**
 * The audit keys `purpose` needs, loaded and checked now so a bad key stops a command before it
 * changes anything. `sign`: the private key when one is configured (a public key configured too
 * must be its half). `verify`: the public key, else the private key's public half.
 */
export function loadAuditKeys(audit: AuditConfig, places: KeyPlaces, purpose: 'sign' | 'verify'): AuditKeys {
  assertKeysOutsideStateDir(audit, places);
  const { signing_key, public_key } = audit;
  const publicKey = () => createCheckpointVerifier(loadKey('audit.public_key', public_key!, places));
  if (purpose === 'verify' && public_key) return { verifier: publicKey() };
  if (!signing_key) return public_key ? { verifier: publicKey() } : {};
  const signer = createCheckpointSigner(loadKey('audit.signing_key', signing_key, places));
  if (purpose === 'verify') return { verifier: signer };
  if (public_key && publicKey().keyId !== signer.keyId)
    throw fail(
      'audit.public_key',
      `${resolve(places.configDir, public_key)} is not the public half of audit.signing_key`,
    );
  return { signer, verifier: signer };
}
