import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yargs from 'yargs';
import type { Inventory } from '../../inventory/model.js';
import type { CliContext } from '../context.js';
import { main } from '../main.js';
import { inventoryCommand } from './inventory.js';

let dir = '';
let good = '';
let bad = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-cli-inventory-'));
  good = path.join(dir, 'lab.ini');
  bad = path.join(dir, 'bad.ini');
  await writeFile(
    good,
    [
      '[servers]',
      'server1 ansible_host=172.25.83.1',
      'server2 ansible_host=172.25.83.2',
      '[servers:vars]',
      'ansible_user=root',
      '[all:vars]',
      'image=busybox:latest',
      '',
    ].join('\n'),
  );
  await writeFile(
    bad,
    ['# a typo in a port', '[servers]', 'server1 ansible_port=99999', ''].join('\n'),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fakeCtx(env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        out[key] += chunk.toString();
        done();
      },
    });
  const ctx: CliContext = { stdout: sink('stdout'), stderr: sink('stderr'), env, cwd: dir };
  return { ctx, out };
}

describe('lab inventory', () => {
  it('lists hosts, groups and variables, and exits 0', async () => {
    const { ctx, out } = fakeCtx();
    expect(await main(['inventory', '-i', good], ctx)).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain(`${good}: 2 hosts, 3 groups`);
    expect(out.stdout).toMatch(/^server1 +172\.25\.83\.1:22 +root +no +servers$/m);
    expect(out.stdout).toMatch(/^servers +server1, server2 +-$/m);
    expect(out.stdout).toContain('[all:vars]\n  image = busybox:latest\n');
  });

  it('prints the parsed inventory as JSON with --json', async () => {
    const { ctx, out } = fakeCtx();
    expect(await main(['inventory', '--inventory', good, '--json'], ctx)).toBe(0);
    const json = JSON.parse(out.stdout) as Inventory;
    expect(json.hosts.map((h) => [h.name, h.address, h.user])).toEqual([
      ['server1', '172.25.83.1', 'root'],
      ['server2', '172.25.83.2', 'root'],
    ]);
    expect(json.groups['all']?.vars).toEqual({ image: 'busybox:latest' });
  });

  it('reads a relative -i from the context’s working directory', async () => {
    const { ctx, out } = fakeCtx();
    expect(await main(['inventory', '-i', 'lab.ini'], ctx)).toBe(0);
    expect(out.stdout).toMatch(/lab\.ini: 2 hosts/);
  });

  it('exits 2 on a malformed inventory, naming file, line, problem and fix', async () => {
    const { ctx, out } = fakeCtx();
    expect(await main(['inventory', '-i', bad], ctx)).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      `lab: ${bad}:3: ansible_port must be a whole number from 1 to 65535, got "99999"\n` +
        '  hint: the SSH port as digits, e.g. 22 (service names like "ssh" are not looked up)\n',
    );
  });

  it('exits 2 on a missing file, suggesting the seed inventory and the box', async () => {
    const { ctx, out } = fakeCtx();
    expect(await main(['inventory', '-i', 'inventory/nope.ini'], ctx)).toBe(2);
    expect(out.stderr).toMatch(/inventory file \S*inventory\/nope\.ini does not exist/);
    expect(out.stderr).toMatch(/-i inventory\/seed\.ini .* -i box/);
  });

  it('exits 2 without -i', async () => {
    const { ctx, out } = fakeCtx();
    expect(await main(['inventory'], ctx)).toBe(2);
    expect(out.stderr).toMatch(/^lab: Missing required argument: inventory\n/);
    expect(out.stderr).not.toMatch(/internal error/);
    expect(out.stdout).toBe('');
  });

  it('resolves -i box to the inventory in LAB_BOX_DIR', async () => {
    const boxDir = path.join(dir, 'box-up');
    await mkdir(boxDir, { recursive: true });
    await writeFile(
      path.join(boxDir, 'inventory.ini'),
      '[box]\nserver1 ansible_host=198.18.0.11\n',
    );
    const { ctx, out } = fakeCtx({ LAB_BOX_DIR: boxDir });
    expect(await main(['inventory', '-i', 'box'], ctx)).toBe(0);
    expect(out.stdout).toContain(`${path.join(boxDir, 'inventory.ini')}: 1 host`);
  });

  it('exits 2 with "the box is not up" when the box has written no inventory', async () => {
    const { ctx, out } = fakeCtx({ LAB_BOX_DIR: path.join(dir, 'no-box') });
    expect(await main(['inventory', '-i', 'box'], ctx)).toBe(2);
    expect(out.stderr).toMatch(/^lab: the box is not up; run `lab box up`\n/);
    expect(out.stderr).toContain(path.join(dir, 'no-box', 'inventory.ini'));
  });

  it('rejects an unknown flag without running the command', async () => {
    const { ctx, out } = fakeCtx();
    expect(await main(['inventory', '-i', good, '--chek'], ctx)).toBe(2);
    expect(out.stderr).toBe('lab: Unknown argument: chek\nRun with --help for usage.\n');
    expect(out.stdout).toBe('');
  });

  it('offers --check, wired to the SSH layer', async () => {
    const { ctx, out } = fakeCtx();
    expect(await main(['inventory', '--help'], ctx)).toBe(0);
    expect(out.stdout).toMatch(/--check/);
  });
});

describe('inventoryCommand seams', () => {
  async function run(argv: string[], options: Parameters<typeof inventoryCommand>[0]) {
    const { ctx, out } = fakeCtx();
    let code = -1;
    const parser = yargs(argv)
      .exitProcess(false)
      .strict()
      .fail((msg, err) => {
        throw err ?? new Error(msg);
      });
    inventoryCommand(options)(parser, ctx, (c) => (code = c));
    await parser.parseAsync();
    return { code, out };
  }

  it('uses the injected box resolver for -i box', async () => {
    const { code, out } = await run(['inventory', '-i', 'box'], { resolveBox: () => good });
    expect(code).toBe(0);
    expect(out.stdout).toContain('server1');
  });

  it('offers --check when given a host checker, and hands it the parsed inventory', async () => {
    const seen: string[] = [];
    const checkHosts = async (inventory: Inventory) => {
      seen.push(...inventory.hosts.map((h) => h.name));
      return 3;
    };
    const checked = await run(['inventory', '-i', good, '--check'], { checkHosts });
    expect(checked.code).toBe(3);
    expect(seen).toEqual(['server1', 'server2']);
    expect(checked.out.stdout).toBe('');

    const listed = await run(['inventory', '-i', good], { checkHosts });
    expect(listed.code).toBe(0);
    expect(listed.out.stdout).toContain('server1');
  });
});
