import { describe, expect, it } from 'vitest';
import { parseVarsValue, splitHostLine, stripTrailingComment, unquoteValue } from './syntax.js';

describe('splitHostLine (shlex.split(line, comments=True))', () => {
  it('splits on blanks and removes quotes', () => {
    expect(splitHostLine('web1  a=1\tb="two words"  c=\'three words\'')).toEqual([
      'web1',
      'a=1',
      'b=two words',
      'c=three words',
    ]);
  });

  it('joins quoted pieces inside one word, and keeps = and # inside quotes', () => {
    expect(splitHostLine('h x=a"b c"d eq="k=v" hash="x # y" semi=a;b')).toEqual([
      'h',
      'x=ab cd',
      'eq=k=v',
      'hash=x # y',
      'semi=a;b',
    ]);
  });

  it('takes \\" and \\\\ inside double quotes, nothing inside single quotes, anything after a bare backslash', () => {
    expect(
      splitHostLine('h a="say \\"hi\\"" b="c:\\\\d" c="\\n" d=\'\\n\' e=x\\ y f=\\\''),
    ).toEqual(['h', 'a=say "hi"', 'b=c:\\d', 'c=\\n', 'd=\\n', 'e=x y', "f='"]);
  });

  it('treats an unquoted # as the start of a comment, also inside a word', () => {
    expect(splitHostLine('h a=1 # the rest')).toEqual(['h', 'a=1']);
    expect(splitHostLine('h a=b#c d=e')).toEqual(['h', 'a=b']);
    expect(splitHostLine('h a=""')).toEqual(['h', 'a=']);
  });

  it('fails on an unterminated quote and a trailing lone backslash', () => {
    expect(() => splitHostLine('h a="abc')).toThrow(/unterminated " quote in "\\"abc"/);
    expect(() => splitHostLine("h a='abc")).toThrow(/unterminated ' quote/);
    expect(() => splitHostLine('h a=b\\')).toThrow(/backslash that escapes nothing/);
  });
});

describe('unquoteValue (what literal_eval does to a string literal)', () => {
  it('removes one layer of quotes from a value that is one whole string', () => {
    expect(unquoteValue("'03#pa33w0rd'")).toBe('03#pa33w0rd');
    expect(unquoteValue('"a \\"b\\" \\u00e9"')).toBe('a "b" é');
    expect(unquoteValue("'it\\'s'")).toBe("it's");
    expect(unquoteValue('""')).toBe('');
  });

  it('leaves everything else as text', () => {
    for (const v of ['22', 'True', '[1, 2]', "'a' 'b'", '"a" + "b"', "it's", '"open'])
      expect(unquoteValue(v)).toBe(v);
  });

  it('refuses a double-quoted value with an escape JSON lacks', () => {
    expect(() => unquoteValue('"\\x41"')).toThrow(/cannot decode the quoted value/);
  });
});

describe('parseVarsValue', () => {
  it('is the text after =, trimmed, without a trailing # comment', () => {
    expect(parseVarsValue(' 8080 # all members')).toBe('8080');
    expect(parseVarsValue('hello world')).toBe('hello world');
    expect(parseVarsValue('#fff')).toBe('#fff');
    expect(parseVarsValue('http://x/#top')).toBe('http://x/#top');
    expect(parseVarsValue('a;b')).toBe('a;b');
    expect(parseVarsValue('a=b=c')).toBe('a=b=c');
    expect(parseVarsValue('')).toBe('');
  });

  it('unquotes a quoted value, keeping blanks, = and # inside', () => {
    expect(parseVarsValue(' "a # b = c" # note')).toBe('a # b = c');
    expect(parseVarsValue("'  padded  '")).toBe('  padded  ');
    expect(parseVarsValue('"say \\"hi\\""')).toBe('say "hi"');
  });

  it('keeps text that only starts with a quoted part, as Ansible does', () => {
    expect(parseVarsValue('"a" b')).toBe('"a" b');
  });

  it('fails on a quote that is never closed', () => {
    expect(() => parseVarsValue('"abc')).toThrow(/unterminated " quote/);
    expect(() => parseVarsValue("'abc\\'")).toThrow(/unterminated ' quote/);
  });
});

describe('stripTrailingComment', () => {
  it('cuts at a # after a blank only', () => {
    expect(stripTrailingComment('web  # x')).toBe('web');
    expect(stripTrailingComment('web#x')).toBe('web#x');
  });
});
