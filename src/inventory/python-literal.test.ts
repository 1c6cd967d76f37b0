import { describe, expect, it } from 'vitest';
import { evalPythonLiteral } from './python-literal.js';

// Each expectation was checked against Python 3.11's ast.literal_eval (what Ansible's INI plugin runs).
describe('evalPythonLiteral', () => {
  it.each([
    ['22', 22],
    ['-5', -5],
    ['+7', 7],
    ['-(5)', -5],
    ['0x10', 16],
    ['0o17', 15],
    ['0b101', 5],
    ['1_000', 1000],
    ['00', 0],
    ['1e3', 1000],
    ['1.', 1],
    ['-.5e-3', -0.0005],
    ['True', true],
    ['None', null],
    ["'x y'", 'x y'],
    ['"a" \'b\'', 'ab'],
    ["u'x'", 'x'],
    ["r'\\n'", '\\n'],
    ["'\\x41\\u00e9\\n'", 'Aé\n'],
    ["'\\d'", '\\d'],
    ["b'by'", 'by'],
    ['[1, 2,]', [1, 2]],
    ['(1, 2)', [1, 2]],
    ['()', []],
    ['(1)', 1],
    ["{'k': [1, {'a': (3,)}]}", { k: [1, { a: [3] }] }],
    ["{1: 'a', 2.5: 'b', True: 'c', None: 1}", { '1': 'c', '2.5': 'b', null: 1 }],
    ['8080 # comment', 8080],
    ['  5', 5],
  ])('%s is %j', (text, value) => {
    expect(evalPythonLiteral(text)).toEqual(value);
  });

  it.each([
    '01',
    '--1',
    '-True',
    '1 + 2',
    'hello',
    'hello world # c',
    "f'x'",
    '"unterminated',
    '{1, 2}',
    'set()',
    '1j',
    '1+2j',
    "[b'x']",
    "'\\N{BULLET}'",
    '#fff',
    '',
    '1abc',
    "{(1, 2): 'x'}",
    `${'['.repeat(201)}${']'.repeat(201)}`,
  ])('%s is not a literal lab reads (kept as text)', (text) => {
    expect(evalPythonLiteral(text)).toBeUndefined();
  });

  it('reads 200 nested brackets, as Python does', () => {
    expect(evalPythonLiteral(`${'['.repeat(200)}${']'.repeat(200)}`)).toBeDefined();
  });
});
