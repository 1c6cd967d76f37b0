import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { quoteArgument, quoteCommand, quoteWord } from './quote.js';

const NASTY = [
  '',
  ' ',
  "'",
  "''",
  "a'b",
  "it's 'quoted'",
  '"',
  '"double" and \'single\'',
  '$HOME',
  '${HOME}',
  '`id`',
  '$(id)',
  'a b  c',
  '\n',
  'line1\nline2',
  '\t',
  '\r',
  '*',
  '?',
  '[a]',
  '~',
  '~root',
  '#not a comment',
  'a=b',
  '-n',
  '--',
  '\\',
  '\\n',
  '!',
  '!!',
  ';',
  '&&',
  '|',
  '>',
  '<',
  '{a,b}',
  'ünïcødé ✓',
  '\x01\x7f',
  "'; rm -rf / #",
];

/** Runs the quoted command through a real POSIX shell and returns the argv the program received. */
function roundTrip(words: readonly string[]): string[] {
  const echoArgv = 'process.stdout.write(JSON.stringify(process.argv.slice(1)))';
  // `--` ends node's own options, so words like `-n` reach the script.
  const line = quoteCommand([process.execPath, '-e', echoArgv, '--', ...words]);
  return JSON.parse(execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' })) as string[];
}

describe('quoteWord', () => {
  it('leaves plain words bare so commands read naturally', () => {
    for (const w of [
      'ip',
      'link',
      'set',
      'eth0.1',
      '198.18.0.2/24',
      '--verbose',
      'a,b',
      'user@host:/p',
    ]) {
      expect(quoteWord(w)).toBe(w);
    }
  });

  it('single-quotes everything else', () => {
    expect(quoteWord('')).toBe("''");
    expect(quoteWord('a b')).toBe("'a b'");
    expect(quoteWord('$HOME')).toBe("'$HOME'");
    expect(quoteWord("a'b")).toBe("'a'\\''b'");
    expect(quoteWord('a=b')).toBe("'a=b'");
    expect(quoteWord('~')).toBe("'~'");
  });

  it('rejects NUL, which no program could receive', () => {
    expect(() => quoteWord('a\0b')).toThrow(LabError);
    expect(() => quoteWord('a\0b')).toThrow(/NUL/);
  });
});

describe('quoteCommand', () => {
  it('joins quoted words with spaces', () => {
    expect(quoteCommand(['ip', 'link', 'set', 'eth0', 'promisc', 'on'])).toBe(
      'ip link set eth0 promisc on',
    );
    expect(quoteCommand(['sh', '-c', 'echo "$1"', 'x'])).toBe(`sh -c 'echo "$1"' x`);
  });

  it('refuses an empty argv', () => {
    expect(() => quoteCommand([])).toThrow(LabError);
  });

  it('round-trips nasty words through /bin/sh unchanged', () => {
    expect(roundTrip(NASTY)).toEqual(NASTY);
  });

  it('makes an assignment-looking first word a command name, not a variable assignment', () => {
    // Unquoted, `A=b true` would succeed; quoted, the shell looks for a program called "A=b".
    const run = () =>
      execFileSync('/bin/sh', ['-c', quoteCommand(['A=b', 'true'])], { stdio: 'pipe' });
    expect(run).toThrow(/not found/);
  });
});

describe('quoteArgument and quoteCommand', () => {
  it('leaves key=value arguments as typed, but never a first word or a leading =', () => {
    expect(quoteCommand(['docker', 'network', 'create', '-o', 'parent=eth0', 'mac_net1'])).toBe(
      'docker network create -o parent=eth0 mac_net1',
    );
    expect(quoteCommand(['A=b', 'x'])).toBe("'A=b' x");
    expect(quoteArgument('=ls')).toBe("'=ls'");
    expect(quoteArgument('a=$(reboot)')).toBe("'a=$(reboot)'");
  });
});
