import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { InputProblems } from '../common/problems.js';
import { loadInventory } from './load.js';

/** Issue 10's inventory inputs: each is an input error with file and line, never a crash or a hang. */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-inventory-bad-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadError(file: string, text: string): Promise<LabError> {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), text);
  const err = await loadInventory(file, { cwd: dir }).then(
    () => new Error('loaded'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LabError);
  expect((err as LabError).kind).toBe('input');
  return err as LabError;
}

describe('inventory bad input', () => {
  it('refuses a YAML alias bomb at the alias, without expanding it', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const lines = ['all:', '  vars:', `    ${names[0]}: &${names[0]} [x, x, x, x, x, x, x, x, x]`];
    for (let i = 1; i < names.length; i += 1) {
      const prev = names[i - 1] ?? '';
      lines.push(`    ${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const started = Date.now();
    const err = await loadError('bomb.yml', `${lines.join('\n')}\n`);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.message).toMatch(/more than 100000 values once its aliases are expanded/);
    expect(err.context.file).toBe('bomb.yml');
    expect(err.context.line).toBeGreaterThan(3);
  });

  it('refuses deep nesting in YAML as bad input', async () => {
    const deepFlow = await loadError(
      'flow.yml',
      `all:\n  vars:\n    x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
    );
    expect(deepFlow.message).toMatch(/nested more than 200 levels/);
    expect(deepFlow.context).toMatchObject({ file: 'flow.yml', line: 3 });
    const block = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n');
    const deepBlock = await loadError(
      'block.yml',
      `all:\n  vars:\n    x:\n${block.replace(/^/gm, '      ')}\n`,
    );
    expect(deepBlock.message).toMatch(/nested more than 200 levels/);
  });

  it('refuses an inventory file over 1 MiB before reading it', async () => {
    const err = await loadError('big.ini', `# ${'x'.repeat(1024 * 1024)}\n`);
    expect(err.message).toMatch(
      /big\.ini is 1048579 bytes; lab reads inventory files of up to 1 MiB/,
    );
    expect(err.context.file).toBe('big.ini');
  });

  it('applies the size limit to group_vars files too', async () => {
    await mkdir(path.join(dir, 'sized', 'group_vars'), { recursive: true });
    await writeFile(
      path.join(dir, 'sized', 'group_vars', 'all.yml'),
      `x: "${'y'.repeat(1024 * 1024)}"\n`,
    );
    const err = await loadError('sized/hosts', '[g]\nh1 ansible_host=198.18.0.1\n');
    expect(err.message).toMatch(/group_vars\/all\.yml is \d+ bytes/);
  });

  it('names the line of a YAML syntax error', async () => {
    const err = await loadError('broken.yml', 'all:\n  hosts:\n    h1: {a: 1\n');
    expect(err.context.file).toBe('broken.yml');
    expect(err.context.line).toBeGreaterThanOrEqual(3);
  });

  it('refuses an injection attempt in a connection setting from a group_vars file, at its line', async () => {
    await mkdir(path.join(dir, 'inj', 'group_vars'), { recursive: true });
    await writeFile(
      path.join(dir, 'inj', 'group_vars', 'g.yml'),
      'x: 1\nansible_user: "-oProxyCommand=touch /tmp/pwned"\n',
    );
    const err = await loadError('inj/hosts', '[g]\nh1 ansible_host=198.18.0.1\n');
    expect(err.message).toMatch(/ansible_user must be a user name/);
    expect(err.context).toMatchObject({ file: 'inj/group_vars/g.yml', line: 2 });
  });
});

describe('~ in key and known_hosts paths', () => {
  it('expands ~ and ~/ with the home directory given at the edge, as Ansible does', async () => {
    await writeFile(
      path.join(dir, 'tilde.ini'),
      '[g]\nh1 ansible_host=198.18.0.1 ansible_ssh_private_key_file=~/.ssh/lab lab_known_hosts=~\n',
    );
    const inv = await loadInventory('tilde.ini', { cwd: dir, home: '/home/u/' });
    expect(inv.hosts[0]).toMatchObject({
      privateKeyFile: '/home/u/.ssh/lab',
      knownHostsFile: '/home/u/',
    });
    // The variable itself stays as written, as in ansible-inventory's hostvars.
    expect(inv.hosts[0]?.vars['ansible_ssh_private_key_file']).toBe('~/.ssh/lab');
  });

  it("refuses ~user/, which would need another user's home", async () => {
    await writeFile(
      path.join(dir, 'tildeuser.ini'),
      'h1 ansible_host=198.18.0.1 ansible_private_key_file=~bob/key\n',
    );
    const err = await loadInventory('tildeuser.ini', { cwd: dir, home: '/home/u' }).catch(
      (e: unknown) => e as LabError,
    );
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).message).toMatch(/names another user's home directory/);
    expect((err as LabError).context.hint).toMatch(/\/home\/bob\/key/);
  });
});

describe('an inventory with several mistakes', () => {
  it('reports every one, in line order, each with its line and hint (issue 15 item 2)', async () => {
    const err = await loadError(
      'several.ini',
      '[web]\nserver1 ansible_port=99999\nserver2 ansible_port=abc\n[db\nserver3 ansible_host=-oProxy\n',
    );
    expect(err).toBeInstanceOf(InputProblems);
    const problems = (err as InputProblems).problems;
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5]);
    expect(problems.every((p) => p.hint !== undefined)).toBe(true);
    const text = err.describe();
    expect(text).toMatch(/^4 problems in .*several\.ini:$/m);
    expect(text).toMatch(
      /several\.ini:3: ansible_port must be a whole number from 1 to 65535, got "abc"/,
    );
    expect(text).toMatch(/several\.ini:4: section header "\[db" has no closing "\]"/);
    // The error itself still points at the first problem, for tools that read one file:line.
    expect(err.context.line).toBe(2);
  });
});

describe('a YAML inventory with several mistakes', () => {
  it('names every wrong host setting, each at its own line', async () => {
    const err = await loadError(
      'hosts.yml',
      'all:\n  hosts:\n    a:\n      ansible_host: "-x"\n    b:\n      ansible_port: 0\n',
    );
    expect(err).toBeInstanceOf(InputProblems);
    expect((err as InputProblems).problems.map((p) => p.line)).toEqual([4, 6]);
  });
});
