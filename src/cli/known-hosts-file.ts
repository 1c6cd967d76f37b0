/**
 * `--accept-new-host-keys` appends to a known_hosts file: before any host is touched, each file it
 * may append to must be a known_hosts file (or not exist yet). A typo in lab_known_hosts that points
 * at a script or a config file must not get a key line written into it.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../common/errors.js';
import type { Inventory } from '../inventory/model.js';
import { parseKnownHosts } from '../ssh/known-hosts.js';

const HINT =
  'lab appends new host keys only to a known_hosts file (lines "HOST KEYTYPE BASE64KEY", comments, blank lines); point lab_known_hosts or --known-hosts at one, or at a file that does not exist yet';

/** Refuses a file that exists and is not a known_hosts file, naming its first foreign line. */
export async function checkKnownHostsFile(file: string): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (!info) return;
  if (!info.isFile()) {
    throw new LabError('input', `the known_hosts file ${file} is not a regular file`, {
      file,
      hint: HINT,
    });
  }
  const text = await readFile(file, 'utf8');
  if (text.includes('\0')) {
    throw new LabError('input', `${file} is not a known_hosts file (it holds binary data)`, {
      file,
      hint: HINT,
    });
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    if (parseKnownHosts(line).length === 0) {
      throw new LabError(
        'input',
        `${file} is not a known_hosts file: line ${i + 1} is not a host key`,
        {
          file,
          line: i + 1,
          hint: HINT,
        },
      );
    }
  }
}

/** Every known_hosts file a run may append to: the flag's (or ~/.ssh/known_hosts) and lab_known_hosts. */
export async function checkKnownHostsFiles(
  defaultFile: string,
  inventory: Inventory,
  hosts?: readonly string[],
): Promise<void> {
  const files = new Set([defaultFile]);
  for (const h of inventory.hosts) {
    if (hosts && !hosts.includes(h.name)) continue;
    if (h.knownHostsFile !== undefined) files.add(path.resolve(h.knownHostsFile));
  }
  for (const file of files) await checkKnownHostsFile(file);
}
