import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOX_STATE_DIR } from '../box/layout.js';
import { LabError } from '../common/errors.js';
import type { CliContext } from './context.js';
import {
  boxStateDir,
  loadInventoryArg,
  resolveBoxInventory,
  resolveInventoryPath,
} from './inventory-arg.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-inventory-arg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ctx = (cwd: string, env: Record<string, string> = {}): CliContext => ({
  stdout: new Writable({ write: (_c, _e, done) => done() }),
  stderr: new Writable({ write: (_c, _e, done) => done() }),
  env,
  cwd,
});

describe('resolveInventoryPath', () => {
  it('keeps a relative path as typed when the context’s cwd is the process’s', () => {
    expect(resolveInventoryPath('inventory/seed.ini', ctx(process.cwd()))).toBe(
      'inventory/seed.ini',
    );
  });

  it('makes a relative path absolute against the context’s cwd otherwise', () => {
    expect(resolveInventoryPath('lab.ini', ctx(dir))).toBe(path.join(dir, 'lab.ini'));
    expect(resolveInventoryPath('/etc/lab.ini', ctx(dir))).toBe('/etc/lab.ini');
  });

  it('hands `box` to the box resolver, and only the bare word', () => {
    expect(resolveInventoryPath('box', ctx(dir), () => '/state/inventory.ini')).toBe(
      '/state/inventory.ini',
    );
    expect(resolveInventoryPath('./box', ctx(dir), () => '/state/inventory.ini')).toBe(
      path.join(dir, 'box'),
    );
  });

  it('refuses an empty -i', () => {
    expect(() => resolveInventoryPath(' ', ctx(dir))).toThrow(/-i names no inventory/);
  });
});

describe('the box inventory', () => {
  it('lives in LAB_BOX_DIR, else in the box’s default state directory', () => {
    expect(boxStateDir(ctx(dir))).toBe(DEFAULT_BOX_STATE_DIR);
    expect(boxStateDir(ctx(dir, { LAB_BOX_DIR: 'state' }))).toBe(path.join(dir, 'state'));
  });

  it('is an error saying the box is not up when the file is missing', () => {
    let error: unknown;
    try {
      resolveBoxInventory(ctx(dir, { LAB_BOX_DIR: dir }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).message).toBe('the box is not up; run `lab box up`');
    expect((error as LabError).kind).toBe('prerequisite');
  });

  it('loads through loadInventoryArg when it exists', async () => {
    await writeFile(path.join(dir, 'inventory.ini'), '[box]\nserver1 ansible_host=198.18.0.11\n');
    const inv = await loadInventoryArg('box', ctx(dir, { LAB_BOX_DIR: dir }));
    expect(inv.hosts.map((h) => h.address)).toEqual(['198.18.0.11']);
  });
});
