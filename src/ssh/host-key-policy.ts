import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LabError } from '../common/errors.js';
import {
  blobKeyType,
  fingerprintSha256,
  formatKnownHostsLine,
  parseKnownHosts,
  preferredHostKeyAlgorithms,
  recordedKeyTypes,
  verifyHostKey,
  type HostKeyAlgorithm,
} from './known-hosts.js';
import type { SshLogger } from './logger.js';

/** What the host key check decided, kept so that a refused connection can say why in words. */
export type HostKeyOutcome =
  | { status: 'match'; keyType: string; fingerprint: string }
  | { status: 'accepted'; keyType: string; fingerprint: string }
  | { status: 'unknown'; keyType: string; fingerprint: string }
  | {
      status: 'mismatch';
      keyType: string;
      fingerprint: string;
      recorded: { line: number; keyType: string }[];
    }
  | { status: 'revoked'; keyType: string; fingerprint: string; line: number };

export interface HostKeyPolicy {
  /** The known_hosts file consulted (and appended to when accepting new keys). */
  readonly file: string;
  /** Host key algorithms to offer, recorded types first. */
  readonly algorithms: HostKeyAlgorithm[];
  /** ssh2's hostVerifier body: resolves true to go on with the connection. */
  verify(key: Buffer): Promise<boolean>;
  /** Set once verify has run. */
  readonly outcome: HostKeyOutcome | undefined;
}

export interface HostKeyPolicyOptions {
  file: string;
  /** The name the host is recorded under (knownHostsName(address, port)). */
  name: string;
  /** Like StrictHostKeyChecking=accept-new: an unknown key is accepted and recorded; a changed never. */
  acceptNew: boolean;
  /** The inventory name, for log lines. */
  host: string;
  logger?: SshLogger;
}

/**
 * Reads the known_hosts file once and returns the check for one connection. A missing file is an
 * empty one (every key unknown), as for ssh.
 */
export async function prepareHostKeyPolicy(options: HostKeyPolicyOptions): Promise<HostKeyPolicy> {
  const { file, name, acceptNew, host, logger } = options;
  const entries = parseKnownHosts(await readKnownHostsFile(file));
  let outcome: HostKeyOutcome | undefined;
  return {
    file,
    algorithms: preferredHostKeyAlgorithms(recordedKeyTypes(entries, name)),
    get outcome() {
      return outcome;
    },
    async verify(key: Buffer): Promise<boolean> {
      const keyType = blobKeyType(key);
      const fingerprint = fingerprintSha256(key);
      const verdict = verifyHostKey(entries, name, key);
      switch (verdict.status) {
        case 'match':
          outcome = { status: 'match', keyType, fingerprint };
          return true;
        case 'revoked':
          outcome = { status: 'revoked', keyType, fingerprint, line: verdict.entry.line };
          return false;
        case 'mismatch':
          outcome = {
            status: 'mismatch',
            keyType,
            fingerprint,
            recorded: verdict.recorded.map((e) => ({ line: e.line, keyType: e.keyType })),
          };
          return false;
        case 'unknown':
          if (!acceptNew) {
            outcome = { status: 'unknown', keyType, fingerprint };
            return false;
          }
          await appendKnownHost(file, formatKnownHostsLine(name, key));
          outcome = { status: 'accepted', keyType, fingerprint };
          logger?.warn(`${host}: permanently added ${name} (${keyType} ${fingerprint}) to ${file}`);
          return true;
      }
    },
  };
}

async function readKnownHostsFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new LabError(
      'input',
      `cannot read the known_hosts file ${file}: ${(err as Error).message}`,
      {
        file,
      },
      { cause: err },
    );
  }
}

/**
 * Appends one line, creating the file (0600) and its directory (0700) as ssh would. One small
 * O_APPEND write per line, so hosts accepted in parallel do not interleave.
 */
async function appendKnownHost(file: string, line: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const current = await readFile(file, 'utf8').catch(() => '');
    const sep = current === '' || current.endsWith('\n') ? '' : '\n';
    await appendFile(file, `${sep}${line}\n`, { mode: 0o600 });
  } catch (err) {
    throw new LabError(
      'input',
      `cannot add the host key to ${file}: ${(err as Error).message}`,
      { file },
      {
        cause: err,
      },
    );
  }
}
