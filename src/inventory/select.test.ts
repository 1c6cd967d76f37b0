import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { parseInventory } from './parse.js';
import { selectHosts } from './select.js';

const inventory = parseInventory(
  [
    'jump',
    '[web]',
    'web2',
    'web1',
    '[db]',
    'db1',
    'web1',
    '[prod:children]',
    'web',
    'db',
    '[web1]',
  ].join('\n'),
  'inv.ini',
);

describe('selectHosts', () => {
  it('resolves host names, in inventory order whatever the selector order', () => {
    expect(selectHosts(inventory, ['db1', 'jump'])).toEqual(['jump', 'db1']);
  });

  it('resolves a group to its hosts and those of its child groups, once each', () => {
    expect(selectHosts(inventory, ['web'])).toEqual(['web2', 'web1']);
    expect(selectHosts(inventory, ['prod'])).toEqual(['web2', 'web1', 'db1']);
    expect(selectHosts(inventory, ['db', 'web', 'web1'])).toEqual(['web2', 'web1', 'db1']);
    expect(selectHosts(inventory, ['ungrouped'])).toEqual(['jump']);
  });

  it('resolves all to every host', () => {
    expect(selectHosts(inventory, ['all'])).toEqual(['jump', 'web2', 'web1', 'db1']);
  });

  it('selects nothing for no selectors; a name that is a host and an empty group selects the host', () => {
    expect(selectHosts(inventory, [])).toEqual([]);
    expect(selectHosts(inventory, ['web1'])).toEqual(['web1']);
  });

  it('names an unknown selector and lists the hosts and groups there are', () => {
    let error: unknown;
    try {
      selectHosts(inventory, ['web', 'web3']);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LabError);
    const err = error as LabError;
    expect(err.kind).toBe('input');
    expect(err.message).toBe('"web3" is neither a host nor a group in inv.ini');
    expect(err.context.hint).toBe(
      'hosts: jump, web2, web1, db1; groups: all, ungrouped, web, db, prod, web1',
    );
  });

  it('shortens a long list of known names', () => {
    const big = parseInventory('h[1:30]', 'big.ini');
    expect(() => selectHosts(big, ['nope'])).toThrow(LabError);
    try {
      selectHosts(big, ['nope']);
    } catch (err) {
      expect((err as LabError).context.hint).toMatch(
        /^hosts: h1, h2, .*h20 and 10 more; groups: all, ungrouped$/,
      );
    }
  });
});
