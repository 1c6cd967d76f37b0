import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { LabError } from '../common/errors.js';
import { checkKnownHostsFile } from './known-hosts-file.js';
import { main } from './main.js';

// Each case runs main() in-process, loading the CLI's modules: slow on a loaded 2-core machine.
vi.setConfig({ testTimeout: 30_000 });

/** A well-formed ssh-ed25519 public key blob: type string, then 32 key bytes, each length-prefixed. */
function ed25519Line(host: string): string {
  const part = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([part(Buffer.from('ssh-ed25519')), part(Buffer.alloc(32, 7))]);
  return `${host} ssh-ed25519 ${blob.toString('base64')}`;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lab-known-hosts-'));
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as LabError,
  );

describe('known_hosts files are validated before --accept-new-host-keys appends to them', () => {
  it('a real known_hosts file (comments, blank lines, markers, hashed names) passes', async () => {
    const file = path.join(dir, 'known_hosts');
    await writeFile(
      file,
      `# mine\n\n${ed25519Line('198.18.0.1')}\n@revoked ${ed25519Line('*.lab')}\n`,
    );
    await expect(checkKnownHostsFile(file)).resolves.toBeUndefined();
  });

  it('a file that does not exist yet passes (it is created)', async () => {
    await expect(checkKnownHostsFile(path.join(dir, 'absent'))).resolves.toBeUndefined();
  });

  it('a script is refused at its first line that is not a host key', async () => {
    const file = path.join(dir, 'script.sh');
    await writeFile(file, '#!/bin/sh\necho hello\n');
    const err = await failure(checkKnownHostsFile(file));
    expect(err?.kind).toBe('input');
    expect(err?.describe()).toMatch(
      new RegExp(
        `^${file}:2: ${file} is not a known_hosts file: line 2 is not a host key\n  hint: lab appends`,
      ),
    );
  });

  it('binary data is refused', async () => {
    const file = path.join(dir, 'blob');
    await writeFile(file, Buffer.from([1, 0, 2, 3]));
    expect((await failure(checkKnownHostsFile(file)))?.message).toBe(
      `${file} is not a known_hosts file (it holds binary data)`,
    );
  });

  it('lab run --accept-new-host-keys with lab_known_hosts at a config file: exit 2, file untouched', async () => {
    const conf = path.join(dir, 'app.conf');
    await writeFile(conf, 'listen = 8080\n');
    await writeFile(
      path.join(dir, 'inv.ini'),
      `[servers]\nserver1 ansible_host=198.18.0.1 lab_known_hosts=${conf}\n`,
    );
    await writeFile(path.join(dir, 'tiny.yaml'), 'name: tiny\nhosts: [server1]\n');
    let err = '';
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const stderr = new Writable({ write: (c, _e, cb) => ((err += String(c)), cb()) });
    const code = await main(['run', './tiny.yaml', '-i', 'inv.ini', '--accept-new-host-keys'], {
      stdout: sink,
      stderr,
      env: { HOME: dir, USER: 'lab' },
      cwd: dir,
    });
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe(
      `lab: ${conf}:1: ${conf} is not a known_hosts file: line 1 is not a host key`,
    );
    expect(await readFile(conf, 'utf8')).toBe('listen = 8080\n');
  });
});
