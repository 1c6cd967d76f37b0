import { readFile, rm } from 'node:fs/promises';
import { runChecked, type Runner } from '../system/runner.js';

/** Generates an ed25519 key pair without passphrase; returns the public key line. */
export async function generateKey(
  runner: Runner,
  sshKeygen: string,
  file: string,
  comment: string,
): Promise<string> {
  // ssh-keygen asks before overwriting; a leftover from a crashed run must not make it hang.
  await rm(file, { force: true });
  await rm(`${file}.pub`, { force: true });
  await runChecked(
    runner,
    [sshKeygen, '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file],
    `generating ${file}`,
  );
  return (await readFile(`${file}.pub`, 'utf8')).trim();
}
