import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import type { Inventory, InventoryHost } from './model.js';
import { parseInventory } from './parse.js';

/** An inventory file from lines, so that line numbers in assertions are easy to count. */
const ini = (...lines: string[]) => lines.join('\n');
const parse = (...lines: string[]) => parseInventory(ini(...lines), 'inv.ini');

function host(inventory: Inventory, name: string): InventoryHost {
  const found = inventory.hosts.find((h) => h.name === name);
  if (!found)
    throw new Error(`no host ${name} in ${inventory.hosts.map((h) => h.name).join(', ')}`);
  return found;
}

/** The LabError parsing throws; fails the test when there is none. */
function errorOf(...lines: string[]): LabError {
  try {
    parse(...lines);
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
  throw new Error('the inventory parsed without error');
}

describe('parseInventory: hosts and connection settings', () => {
  it('reads the seed-like inventory into typed hosts', () => {
    const inv = parse(
      '[servers]',
      'server1 ansible_host=172.25.83.1',
      'server2 ansible_host=172.25.83.2 ansible_port=2222 ansible_become=YES',
      '[servers:vars]',
      'ansible_user=root',
      'ansible_ssh_private_key_file=~/.ssh/lab',
      'lab_known_hosts=/etc/lab/known_hosts',
      '[all:vars]',
      'image=busybox:latest',
    );
    expect(inv.file).toBe('inv.ini');
    expect(inv.hosts.map((h) => h.name)).toEqual(['server1', 'server2']);
    expect(host(inv, 'server1')).toMatchObject({
      address: '172.25.83.1',
      port: 22,
      user: 'root',
      privateKeyFile: '~/.ssh/lab',
      knownHostsFile: '/etc/lab/known_hosts',
      become: false,
      groups: ['all', 'servers'],
      location: { file: 'inv.ini', line: 2 },
    });
    expect(host(inv, 'server2')).toMatchObject({
      address: '172.25.83.2',
      port: 2222,
      become: true,
    });
    // Connection settings are typed fields, not variables; everything else is a variable.
    expect({ ...host(inv, 'server1').vars }).toEqual({ image: 'busybox:latest' });
    expect({ ...host(inv, 'server2').hostVars }).toEqual({
      ansible_host: '172.25.83.2',
      ansible_port: '2222',
      ansible_become: 'YES',
    });
  });

  it('defaults: the name is the address, port 22, no user, no become', () => {
    const h = host(parse('web1.example.com'), 'web1.example.com');
    expect(h).toMatchObject({
      address: 'web1.example.com',
      port: 22,
      become: false,
      groups: ['all', 'ungrouped'],
    });
    expect(h.user).toBeUndefined();
    expect(h.privateKeyFile).toBeUndefined();
    expect(h.knownHostsFile).toBeUndefined();
  });

  it('accepts every spelling of ansible_become that Ansible does, in any case', () => {
    const values = ['true', 'False', 'yes', 'NO', '1', '0', 'on', 'off'];
    const inv = parse(...values.map((v, i) => `h${i} ansible_become=${v}`));
    expect(inv.hosts.map((h) => h.become)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it('takes the port from name:port, as Ansible does, with ansible_port on the line winning', () => {
    const inv = parse('web1:2222', 'web[2:3]:2200', 'web4:2222 ansible_port=2022');
    expect(inv.hosts.map((h) => [h.name, h.port])).toEqual([
      ['web1', 2222],
      ['web2', 2200],
      ['web3', 2200],
      ['web4', 2022],
    ]);
  });

  it("honours Ansible's ansible_ssh_* aliases; the ssh-specific name wins, as in Ansible's ssh plugin", () => {
    const inv = parse(
      'a ansible_ssh_host=10.0.0.1 ansible_ssh_port=2200 ansible_ssh_user=admin ansible_private_key_file=k1',
      'b ansible_host=10.0.0.2 ansible_ssh_host=10.0.0.3 ansible_private_key_file=k1 ansible_ssh_private_key_file=k2',
    );
    expect(host(inv, 'a')).toMatchObject({
      address: '10.0.0.1',
      port: 2200,
      user: 'admin',
      privateKeyFile: 'k1',
    });
    expect(host(inv, 'b')).toMatchObject({ address: '10.0.0.3', privateKeyFile: 'k2' });
    expect({ ...host(inv, 'b').vars }).toEqual({});
  });

  it('accepts IPv6 addresses and host names with trailing dots in ansible_host', () => {
    const inv = parse(
      'a ansible_host=fe80::1%eth0',
      'b ansible_host=2001:db8::2',
      'c ansible_host=c.example.com.',
    );
    expect(inv.hosts.map((h) => h.address)).toEqual([
      'fe80::1%eth0',
      '2001:db8::2',
      'c.example.com.',
    ]);
  });

  it('reads CRLF files and a byte-order mark', () => {
    const inv = parseInventory('\uFEFF[web]\r\nweb1 a=1\r\nweb2\r\n', 'inv.ini');
    expect(inv.hosts.map((h) => h.name)).toEqual(['web1', 'web2']);
    expect({ ...host(inv, 'web1').vars }).toEqual({ a: '1' });
  });
});

describe('parseInventory: ranges in host names', () => {
  it('expands numeric, zero-padded, alphabetic and stepped ranges, with their variables on each host', () => {
    const inv = parse('[web]', 'web[01:03] role=web', '[db]', 'db-[a:c]', '[odd]', 'n[1:7:3]');
    expect(inv.hosts.map((h) => h.name)).toEqual([
      'web01',
      'web02',
      'web03',
      'db-a',
      'db-b',
      'db-c',
      'n1',
      'n4',
      'n7',
    ]);
    expect(inv.groups['web']?.hosts).toEqual(['web01', 'web02', 'web03']);
    expect(host(inv, 'web02').vars['role']).toBe('web');
    expect(host(inv, 'web03').location.line).toBe(2);
  });

  it.each([
    ['server[3:1]', /host range \[3:1\] in "server\[3:1\]" starts after it ends/],
    ['server[a:3]', /both ends must be whole numbers/],
    ['web[01:100]', /zero-padded start needs an end of the same width/],
    ['web[1:5:0]', /step must be a whole number of 1 or more/],
  ])('reports a bad range %s at its line', (pattern, message) => {
    const err = errorOf('[web]', 'ok1', `${pattern} ansible_user=root`);
    expect(err.kind).toBe('input');
    expect(err.message).toMatch(message);
    expect(err.context).toMatchObject({ file: 'inv.ini', line: 3 });
    expect(err.context.hint).toMatch(/\[start:end\]|digits|swap the ends: \[1:3\]/);
  });
});

describe('parseInventory: groups', () => {
  it('puts hosts before any section in ungrouped, and every host in all', () => {
    const inv = parse('alone', 'both', '[web]', 'web1', 'both');
    expect(inv.groups['ungrouped']?.hosts).toEqual(['alone']);
    expect(host(inv, 'alone').groups).toEqual(['all', 'ungrouped']);
    // Listed at the top and in a group: in the group only, as Ansible reconciles it.
    expect(host(inv, 'both').groups).toEqual(['all', 'web']);
    expect(inv.groups['all']?.children).toEqual(['ungrouped', 'web']);
    expect(Object.keys(inv.groups)).toEqual(['all', 'ungrouped', 'web']);
  });

  it('merges a host listed in two groups: both groups, variables from both lines, first line as location', () => {
    const inv = parse(
      '[g1]',
      'h a=1 b=1',
      '[g2]',
      'h b=2 c=2',
      '[g1:vars]',
      'x=g1',
      '[g2:vars]',
      'x=g2',
    );
    expect(inv.hosts).toHaveLength(1);
    const h = host(inv, 'h');
    expect(h.groups).toEqual(['all', 'g1', 'g2']);
    expect({ ...h.vars }).toEqual({ x: 'g2', a: '1', b: '2', c: '2' });
    expect(h.location.line).toBe(2);
    expect(inv.groups['g1']?.hosts).toEqual(['h']);
    expect(inv.groups['g2']?.hosts).toEqual(['h']);
  });

  it('follows :children across levels, also when a child is named before its section', () => {
    const inv = parse(
      '[dc:children]',
      'web',
      'db',
      '[web]',
      'web1',
      '[db:children]',
      'pg',
      '[pg]',
      'pg1',
      '[region:children]',
      'dc',
    );
    expect(host(inv, 'pg1').groups).toEqual(['all', 'region', 'dc', 'db', 'pg']);
    expect(host(inv, 'web1').groups).toEqual(['all', 'region', 'dc', 'web']);
    expect(inv.groups['dc']?.children).toEqual(['web', 'db']);
    expect(inv.groups['all']?.children).toEqual(['ungrouped', 'region']);
    expect(inv.groups['dc']?.hosts).toEqual([]);
    expect(inv.groups['pg']).toMatchObject({ depth: 4, location: { file: 'inv.ini', line: 8 } });
  });

  it('allows an empty group, a reopened section, [group:hosts], and an explicit [all] or [ungrouped]', () => {
    const inv = parse(
      '[empty]',
      '[web:hosts]',
      'web1',
      '[web]',
      'web2',
      '[all]',
      'a1',
      '[ungrouped]',
      'u1',
    );
    expect(inv.groups['empty']?.hosts).toEqual([]);
    expect(inv.groups['web']?.hosts).toEqual(['web1', 'web2']);
    expect(inv.groups['ungrouped']?.hosts).toEqual(['a1', 'u1']);
    expect(inv.groups['all']?.children).toEqual(['ungrouped', 'empty', 'web']);
  });

  it('accepts [x:vars] before the section that defines x, and vars for the implicit groups', () => {
    const inv = parse('solo', '[web:vars]', 'x=1', '[ungrouped:vars]', 'y=2', '[web]', 'w1');
    expect({ ...host(inv, 'w1').vars }).toEqual({ x: '1' });
    expect({ ...host(inv, 'solo').vars }).toEqual({ y: '2' });
  });

  it('ignores a child listed twice, as Ansible does', () => {
    const inv = parse('[p:children]', 'c', 'c', '[c]', 'h');
    expect(inv.groups['p']?.children).toEqual(['c']);
  });
});

describe('parseInventory: variable precedence (all < parents < children by depth, priority, name < host)', () => {
  const inv = parse(
    '[all:vars]',
    'v=all',
    'only_all=all',
    '[parent:children]',
    'child',
    '[parent:vars]',
    'v=parent',
    'only_parent=parent',
    '[child]',
    'h1 v=host',
    'h2',
    '[child:vars]',
    'v=child',
  );

  it('lets the child group beat its parent, and the host line beat every group', () => {
    expect(host(inv, 'h2').vars).toMatchObject({
      v: 'child',
      only_all: 'all',
      only_parent: 'parent',
    });
    expect(host(inv, 'h1').vars).toMatchObject({
      v: 'host',
      only_all: 'all',
      only_parent: 'parent',
    });
  });

  it('orders groups at the same depth by name, so the later name wins', () => {
    const same = parse('[b]', 'h', '[a]', 'h', '[a:vars]', 'x=a', '[b:vars]', 'x=b');
    expect(host(same, 'h').vars['x']).toBe('b');
    expect(host(same, 'h').groups).toEqual(['all', 'a', 'b']);
  });

  it('lets ansible_group_priority break the tie between groups at the same depth', () => {
    const prio = parse(
      '[a]',
      'h',
      '[b]',
      'h',
      '[a:vars]',
      'x=a',
      'ansible_group_priority=10',
      '[b:vars]',
      'x=b',
    );
    expect(host(prio, 'h').vars['x']).toBe('a');
    expect(prio.groups['a']?.priority).toBe(10);
    expect(prio.groups['a']?.vars).not.toHaveProperty('ansible_group_priority');
  });

  it('measures depth by the longest path from all, so a deep group beats a shallow one named later', () => {
    const deep = parse(
      '[top:children]',
      'mid',
      '[mid:children]',
      'leaf',
      '[zzz:children]',
      'leaf',
      '[leaf]',
      'h',
      '[leaf:vars]',
      'x=leaf',
      '[top:vars]',
      'x=top',
      '[zzz:vars]',
      'x=zzz',
    );
    expect(deep.groups['leaf']?.depth).toBe(3);
    expect(host(deep, 'h').groups).toEqual(['all', 'top', 'zzz', 'mid', 'leaf']);
    expect(host(deep, 'h').vars['x']).toBe('leaf');
  });

  it('lets a later line win within a section, and records the line of each group variable', () => {
    const twice = parse('[all:vars]', 'x=1', 'y=2', 'x=3');
    expect({ ...twice.groups['all']?.vars }).toEqual({ x: '3', y: '2' });
    expect({ ...twice.groups['all']?.varLines }).toEqual({ x: 4, y: 3 });
    expect(twice.groups['all']?.location).toEqual({ file: 'inv.ini', line: 1 });
  });

  it('keeps a connection setting from a group, with the host line overriding it', () => {
    const conn = parse(
      '[g]',
      'a',
      'b ansible_user=admin ansible_port=2200',
      '[g:vars]',
      'ansible_user=root',
      'ansible_port=22',
    );
    expect(host(conn, 'a')).toMatchObject({ user: 'root', port: 22 });
    expect(host(conn, 'b')).toMatchObject({ user: 'admin', port: 2200 });
    expect({ ...conn.groups['g']?.vars }).toEqual({ ansible_user: 'root', ansible_port: '22' });
  });

  it('makes a variable named like an Object.prototype member an ordinary variable', () => {
    const odd = parse('h constructor=c __proto__=p toString=t');
    expect(Object.entries(host(odd, 'h').vars)).toEqual([
      ['constructor', 'c'],
      ['__proto__', 'p'],
      ['toString', 't'],
    ]);
    expect(host(parse('h'), 'h').vars['constructor']).toBeUndefined();
  });
});

describe('parseInventory: values and comments', () => {
  it('reads quoted host-line values with blanks, =, # and escaped quotes', () => {
    const inv = parse(
      'h motd="hello world" eq="a=b" hash="x # y" esc="say \\"hi\\"" sq=\'single quoted\' mixed=a"b c" empty="" # end',
    );
    expect({ ...host(inv, 'h').vars }).toEqual({
      motd: 'hello world',
      eq: 'a=b',
      hash: 'x # y',
      esc: 'say "hi"',
      sq: 'single quoted',
      mixed: 'ab c',
      empty: '',
    });
  });

  it("unwraps Ansible's quoting idiom for keeping a value a string", () => {
    const inv = parse('tomcat3 mysecret="\'03#pa33w0rd\'" port="\'22\'"');
    expect({ ...host(inv, 'tomcat3').vars }).toEqual({ mysecret: '03#pa33w0rd', port: '22' });
  });

  it('keeps values as strings where Ansible would turn them into numbers, booleans or lists', () => {
    const inv = parse('h n=22 b=True l=[1,2] f=1.5');
    expect({ ...host(inv, 'h').vars }).toEqual({ n: '22', b: 'True', l: '[1,2]', f: '1.5' });
  });

  it('reads :vars values: after the first =, trimmed, without a trailing comment, quotes removed', () => {
    const inv = parse(
      '[all:vars]',
      'http_port=8080 # all members',
      'spaced = hello world  ',
      'url=http://x/y#frag',
      'color=#fff',
      'semi=a;b',
      'eq=a=b',
      'quoted = "a # b" # comment',
      "single='  padded  '",
      'empty=',
    );
    expect({ ...inv.groups['all']?.vars }).toEqual({
      http_port: '8080',
      spaced: 'hello world',
      url: 'http://x/y#frag',
      color: '#fff',
      semi: 'a;b',
      eq: 'a=b',
      quoted: 'a # b',
      single: '  padded  ',
      empty: '',
    });
  });

  it('skips # and ; comment lines (also indented) and comments after headers and child names', () => {
    const inv = parse(
      '# a comment',
      '; another',
      '   # indented',
      '',
      '[web] # web servers',
      'web1 # trailing',
      '  ; indented',
      '[p:children]   # parents',
      'web  # the web group',
      '[web:vars] ; semicolon after a header',
      'x=1',
    );
    expect(inv.hosts.map((h) => h.name)).toEqual(['web1']);
    expect(inv.groups['p']?.children).toEqual(['web']);
    expect({ ...host(inv, 'web1').vars }).toEqual({ x: '1' });
  });
});

describe('parseInventory: errors name the file, the line, what is wrong and what would be right', () => {
  const cases: [string, string[], number, RegExp, RegExp][] = [
    [
      'a port out of range',
      ['[servers]', 'server1', 'server2 ansible_port=99999'],
      3,
      /^ansible_port must be a whole number from 1 to 65535, got "99999"$/,
      /digits/,
    ],
    [
      'a port by name',
      ['[servers]', 'server1 ansible_port=ssh'],
      2,
      /ansible_port must be a whole number .* got "ssh"/,
      /22/,
    ],
    [
      'a bad port in :vars',
      ['[s]', 'a', '[s:vars]', 'ansible_port=0'],
      4,
      /ansible_port .* got "0"/,
      /22/,
    ],
    [
      'a bad port after the name',
      ['web1:99999'],
      1,
      /the port in "web1:99999" must be a whole number/,
      /22/,
    ],
    ['a name ending in ":"', ['web1:'], 1, /ends in ":"/, /web1:2222/],
    [
      'become that is not a boolean',
      ['h ansible_become=maybe'],
      1,
      /ansible_become must be true or false, got "maybe"/,
      /yes\/no/,
    ],
    [
      '[x:vars] for a group never defined',
      ['[web]', 'w1', '[wbe:vars]', 'x=1'],
      3,
      /\[wbe:vars\] sets variables for group "wbe", which is never defined/,
      /groups: all, ungrouped, web/,
    ],
    [
      '[x:children] naming a group never defined',
      ['[web]', 'w1', '[prod:children]', 'web', 'dbs'],
      5,
      /\[prod:children\] names group "dbs", which is never defined/,
      /define it with a \[dbs\] section/,
    ],
    [
      '[x:children] naming a host',
      ['[web]', 'w1', '[prod:children]', 'w1'],
      4,
      /names group "w1", which is never defined/,
      /w1 is a host: list it under \[prod\]/,
    ],
    [
      'a host listed twice in one group',
      ['[web]', 'w1', 'w2', 'w1 x=1'],
      4,
      /host "w1" is listed twice in group "web" \(first on line 2\)/,
      /once per group/,
    ],
    [
      'a host listed twice at the top',
      ['w1', 'w1'],
      2,
      /listed twice among the ungrouped hosts/,
      /once per group/,
    ],
    [
      'a host listed twice by a range',
      ['[web]', 'web[1:3]', 'web2'],
      3,
      /host "web2" is listed twice in group "web" \(first on line 2\)/,
      /once per group/,
    ],
    [
      'a header without "]"',
      ['[web'],
      1,
      /section header "\[web" has no closing "\]"/,
      /\[group:vars\]/,
    ],
    [
      'a header with a blank',
      ['[web servers]'],
      1,
      /section header \[web servers\] contains a blank/,
      /\[web_servers\]/,
    ],
    [
      'a header of an unknown type',
      ['[web:var]'],
      1,
      /section \[web:var\] has an unknown type "var"/,
      /\[group:children\]/,
    ],
    ['an empty header', ['[]'], 1, /empty section header/, /\[group\]/],
    [
      'text after a header',
      ['[web] extra'],
      1,
      /unexpected text "extra" after section header \[web\]/,
      /\[group\]/,
    ],
    [
      'a group name with odd characters',
      ['[web$]'],
      1,
      /group name "web\$" is not a valid group name/,
      /web_servers/,
    ],
    [
      'key=value without a host in a group',
      ['[web]', 'ansible_user=root'],
      2,
      /"ansible_user=root" sets a variable, but a host line starts with a host name/,
      /\[web:vars\]/,
    ],
    [
      'key=value without a host at the top',
      ['image=busybox'],
      1,
      /sets a variable, but a host line starts with a host name/,
      /\[all:vars\]/,
    ],
    [
      'a host variable name that is not an identifier',
      ['h my-var=1'],
      1,
      /variable name "my-var" is not an identifier/,
      /letters, digits and "_"/,
    ],
    [
      'a :vars name that is not an identifier',
      ['[all:vars]', '1st = x'],
      2,
      /variable name "1st" is not an identifier/,
      /mac_net1_subnet/,
    ],
    [
      'a :vars line without =',
      ['[all:vars]', 'justaword # hm'],
      2,
      /expected key=value in \[all:vars\], got "justaword"/,
      /one key=value per line/,
    ],
    [
      'a host word without =',
      ['h ansible_user root'],
      1,
      /expected key=value after the host name, got "ansible_user"/,
      /without blanks around "="/,
    ],
    [
      'a group cycle',
      ['[a:children]', 'b', '[b:children]', 'c', '[c:children]', 'a'],
      6,
      /\[c:children\] makes a cycle of groups: c → a → b → c/,
      /cannot contain itself/,
    ],
    [
      'a group that is its own child',
      ['[a:children]', 'a'],
      2,
      /group "a" lists itself/,
      /own child/,
    ],
    ['all as a child', ['[a:children]', 'all'], 2, /"all" cannot be a child group/, /remove/],
    [
      'a child line with two names',
      ['[a:children]', 'b c'],
      2,
      /"b c" is not a group name/,
      /one group name per line/,
    ],
    [
      'a child line with a variable',
      ['[a:children]', 'x=1'],
      2,
      /"x=1" is a variable, but \[a:children\] lists group names/,
      /\[a:vars\]/,
    ],
    [
      'an unterminated quote on a host line',
      ['[web]', 'w1 motd="hello'],
      2,
      /unterminated " quote in "\\"hello"/,
      /close the quote/,
    ],
    [
      'an unterminated quote in :vars',
      ['[all:vars]', "motd='hello"],
      2,
      /unterminated ' quote/,
      /close the quote/,
    ],
    [
      'a host name with a shell metacharacter',
      ['[web]', 'web1;reboot'],
      2,
      /host name "web1;reboot" is not a valid inventory name/,
      /letters, digits/,
    ],
    [
      'a host name that looks like an option',
      ['-oProxyCommand=x'],
      1,
      /sets a variable|not a valid inventory name/,
      /./,
    ],
    [
      'a host name starting with -',
      ['-web'],
      1,
      /host name "-web" is not a valid inventory name/,
      /starting with a letter/,
    ],
    [
      'a bare IPv6 host name',
      ['fe80::1'],
      1,
      /host name "fe80::1" is not a valid inventory name/,
      /ansible_host=fe80::1/,
    ],
    [
      'a bracketed IPv6 host',
      ['[::1]:22'],
      1,
      /neither a section header nor a host line/,
      /ansible_host/,
    ],
    ['a host named like an implicit group', ['all'], 1, /"all" cannot be a host name/, /rename/],
    [
      'a name that is no address and no ansible_host',
      ['[web]', 'a..b'],
      2,
      /host name "a..b" is not an address ssh can connect to/,
      /a\.\.b ansible_host=/,
    ],
    [
      'ansible_host with a blank',
      ['h ansible_host="10.0.0.1 x"'],
      1,
      /ansible_host must be an IP address or a host name, got "10.0.0.1 x"/,
      /172.25.83.1/,
    ],
    [
      'ansible_host with a shell metacharacter',
      ['h ansible_host=10.0.0.1;reboot'],
      1,
      /ansible_host must be an IP address or a host name, got "10.0.0.1;reboot"/,
      /no blanks/,
    ],
    [
      'ansible_host that is a mistyped IPv4 address',
      ['h ansible_host=10.0.0.300'],
      1,
      /got "10.0.0.300"/,
      /ansible_host=/,
    ],
    [
      'ansible_host in :vars',
      ['[all:vars]', 'ansible_host=$(reboot)'],
      2,
      /ansible_host must be an IP address or a host name/,
      /ansible_host=/,
    ],
    [
      'a Jinja template in a connection setting',
      ["h ansible_user=\"{{ lookup('env', 'USER') }}\""],
      1,
      /ansible_user is a Jinja template/,
      /the value itself/,
    ],
    ['an empty user', ['h ansible_user='], 1, /ansible_user must be a user name, got ""/, /root/],
    [
      'a bad group priority',
      ['[g]', 'h', '[g:vars]', 'ansible_group_priority=high'],
      4,
      /ansible_group_priority must be a whole number, got "high"/,
      /default is 1/,
    ],
    [
      'a YAML inventory',
      ['all:', '  hosts:'],
      1,
      /"all:" is not a host line; this looks like a YAML inventory/,
      /INI/,
    ],
    ['a YAML document start', ['---'], 1, /looks like a YAML inventory/, /INI/],
  ];

  it.each(cases)('%s', (_what, lines, line, message, hint) => {
    const err = errorOf(...lines);
    expect(err.kind).toBe('input');
    expect(err.message).toMatch(message);
    expect(err.context.file).toBe('inv.ini');
    expect(err.context.line).toBe(line);
    expect(err.context.hint).toMatch(hint);
  });

  it('reads, in the terminal, as file:line: what is wrong, then what would be right', () => {
    const err = errorOf('# seed', '[servers]', 'server1 ansible_port=99999');
    expect(err.describe()).toBe(
      'inv.ini:3: ansible_port must be a whole number from 1 to 65535, got "99999"\n' +
        '  hint: the SSH port as digits, e.g. 22 (service names like "ssh" are not looked up)',
    );
  });

  it('reports the earliest of several references to undefined groups', () => {
    const err = errorOf('[nope:vars]', 'x=1', '[p:children]', 'missing');
    expect(err.context.line).toBe(1);
  });

  it('checks a connection setting where it is written, even when a host line overrides it', () => {
    expect(errorOf('[all:vars]', 'ansible_port=ssh', '[g]', 'h ansible_port=22').context.line).toBe(
      2,
    );
  });
});

describe('parseInventory: edge cases', () => {
  it('parses an empty file and a file of comments into just the implicit groups', () => {
    for (const text of ['', '# nothing\n; here\n']) {
      const inv = parseInventory(text, 'empty.ini');
      expect(inv.hosts).toEqual([]);
      expect(Object.keys(inv.groups)).toEqual(['all', 'ungrouped']);
      expect(inv.groups['all']).toMatchObject({
        hosts: [],
        children: ['ungrouped'],
        depth: 0,
        priority: 1,
      });
      expect(inv.groups['all']?.location).toBeUndefined();
    }
  });

  it('allows a group and a host of the same name, as Ansible does', () => {
    const inv = parse('[web]', 'web', 'web2');
    expect(inv.groups['web']?.hosts).toEqual(['web', 'web2']);
    expect(host(inv, 'web').groups).toEqual(['all', 'web']);
  });
});
