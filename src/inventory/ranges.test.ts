import { describe, expect, it } from 'vitest';
import { InventoryProblem } from './problem.js';
import { expandHostPattern, MAX_RANGE_HOSTS } from './ranges.js';

describe('expandHostPattern', () => {
  it('leaves a plain name alone', () => {
    expect(expandHostPattern('server1')).toEqual(['server1']);
  });

  it('expands numeric, zero-padded, alphabetic and stepped ranges as Ansible does', () => {
    expect(expandHostPattern('server[1:2]')).toEqual(['server1', 'server2']);
    expect(expandHostPattern('web[01:03]')).toEqual(['web01', 'web02', 'web03']);
    expect(expandHostPattern('web[08:11]')).toEqual(['web08', 'web09', 'web10', 'web11']);
    expect(expandHostPattern('db-[a:c]')).toEqual(['db-a', 'db-b', 'db-c']);
    expect(expandHostPattern('n[1:10:3]')).toEqual(['n1', 'n4', 'n7', 'n10']);
    expect(expandHostPattern('n[01:10:4]')).toEqual(['n01', 'n05', 'n09']);
    expect(expandHostPattern('x[a:e:2]')).toEqual(['xa', 'xc', 'xe']);
  });

  it('keeps the text around a range and expands several ranges in order', () => {
    expect(expandHostPattern('rack[1:2]-node[a:b].lab')).toEqual([
      'rack1-nodea.lab',
      'rack1-nodeb.lab',
      'rack2-nodea.lab',
      'rack2-nodeb.lab',
    ]);
  });

  it('follows Ansible on the odd corners: empty start is 0, letters run a…z then A…Z', () => {
    expect(expandHostPattern('h[:2]')).toEqual(['h0', 'h1', 'h2']);
    expect(expandHostPattern('h[y:B]')).toEqual(['hy', 'hz', 'hA', 'hB']);
    expect(expandHostPattern('h[3:3]')).toEqual(['h3']);
  });

  it.each([
    ['server[3:1]', /starts after it ends/, /\[1:3\]/],
    ['server[c:a]', /starts after it ends/, /\[a:c\]/],
    ['server[a:3]', /both ends must be whole numbers .* or both single letters/, /\[start:end\]/],
    ['server[1:x]', /both ends must be whole numbers/, /\[start:end\]/],
    ['server[aa:ab]', /both single letters/, /\[start:end\]/],
    ['server[1:3', /no closing "\]"/, /\[start:end\]/],
    ['server1:3]', /"\]" without a "\["/, /\[start:end\]/],
    ['server[1]', /must be start:end or start:end:step/, /\[start:end\]/],
    ['server[1:2:3:4]', /must be start:end or start:end:step/, /\[start:end\]/],
    ['server[1:]', /has no end/, /\[start:end\]/],
    ['server[1:5:0]', /step must be a whole number of 1 or more, got "0"/, /\[start:end:step\]/],
    ['server[1:5:x]', /step must be a whole number of 1 or more, got "x"/, /\[start:end:step\]/],
    ['web[01:100]', /zero-padded start needs an end of the same width/, /2 digits/],
    ['-1[-1:3]', /both ends must be whole numbers/, /\[start:end\]/],
  ])('rejects %s', (pattern, message, hint) => {
    let problem: InventoryProblem | undefined;
    try {
      expandHostPattern(pattern);
    } catch (err) {
      problem = err as InventoryProblem;
    }
    expect(problem).toBeInstanceOf(InventoryProblem);
    expect(problem?.message).toMatch(message);
    expect(problem?.hint).toMatch(hint);
  });

  it('refuses to expand into more hosts than lab accepts', () => {
    expect(() => expandHostPattern(`h[1:${MAX_RANGE_HOSTS + 1}]`)).toThrow(
      /expands to 10001 hosts/,
    );
    expect(() => expandHostPattern('h[1:200]-[1:200]')).toThrow(/expands to 40000 hosts/);
    expect(expandHostPattern(`h[1:${MAX_RANGE_HOSTS}]`)).toHaveLength(MAX_RANGE_HOSTS);
  });
});
