import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { loadInventory } from './load.js';

/** lab_docker_transport (issue 16): parsed once here, typed; a bad value is bad input with file:line. */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-inventory-transport-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(file: string, text: string) {
  await writeFile(path.join(dir, file), text);
  return loadInventory(file, { cwd: dir });
}

describe('lab_docker_transport', () => {
  it('is typed per host, with group values and host overrides; unset means auto (absent)', async () => {
    const inv = await load(
      'ok.ini',
      [
        '[hardened]',
        'h1 ansible_host=198.18.0.1',
        'h2 ansible_host=198.18.0.2 lab_docker_transport=forward',
        '[plain]',
        'h3 ansible_host=198.18.0.3',
        '[hardened:vars]',
        'lab_docker_transport=dial-stdio',
        '',
      ].join('\n'),
    );
    const of = (name: string) => inv.hosts.find((h) => h.name === name)?.dockerTransport;
    expect(of('h1')).toBe('dial-stdio');
    expect(of('h2')).toBe('forward');
    expect(of('h3')).toBeUndefined();
  });

  it('refuses any other value, naming file, line and the values allowed', async () => {
    const err = await load(
      'bad.ini',
      '[g]\nh1 ansible_host=198.18.0.1\nh2 ansible_host=198.18.0.2 lab_docker_transport=ssh\n',
    ).then(
      () => new Error('loaded'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LabError);
    const e = err as LabError;
    expect(e.kind).toBe('input');
    expect(`${e.message}\n${JSON.stringify(e.context)}`).toContain('bad.ini');
    expect(e.message).toContain('lab_docker_transport must be one of forward, dial-stdio, auto');
    expect(`${e.message}${JSON.stringify(e.context)}`).toMatch(/"line":3|:3/);
  });
});
