import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import type { Inventory } from '../inventory/model.js';
import { parseScenario } from './load.js';
import { resolveScenario } from './resolve.js';

function inventory(allVars: Record<string, string> = {}): Inventory {
  const host = (name: string, address: string) => ({
    name,
    address,
    port: 22,
    become: false,
    groups: ['all', 'ungrouped'],
    vars: { ...allVars },
    location: { file: 'inv.ini', line: 1 },
  });
  return {
    file: 'inv.ini',
    hosts: [host('server1', '172.25.83.1'), host('server2', '172.25.83.2')],
    groups: {
      all: {
        name: 'all',
        hosts: [],
        children: [],
        vars: allVars,
        // As the parser records them: one line per [all:vars] entry.
        varLines: Object.fromEntries(Object.keys(allVars).map((k, i) => [k, 7 + i])),
      },
      ungrouped: { name: 'ungrouped', hosts: ['server1', 'server2'], children: [], vars: {} },
    },
  };
}

function caught(fn: () => unknown): LabError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
  throw new Error('expected a LabError');
}

const SCENARIO = `name: v
vars:
  image: busybox:latest
  mac_net1_subnet: 172.183.1.0/24
  mac_net1_gateway: 172.183.1.1
networks:
  - name: mac_net1
    driver: macvlan
    parent: eth0
    subnet: \${mac_net1_subnet}
    gateway: \${mac_net1_gateway}
containers:
  - name: vm4
    host: server1
    networks: [{ network: mac_net1, ip: 10 }]
`;

const resolve = (
  text: string,
  allVars: Record<string, string> = {},
  cli: Record<string, string> = {},
) => resolveScenario(parseScenario(text, 'v.yaml'), inventory(allVars), cli);

describe('variable precedence: scenario vars < inventory [all:vars] < --var', () => {
  it('uses the scenario defaults when nothing overrides them', () => {
    const s = resolve(SCENARIO);
    expect(s.networks[0]?.subnet).toBe('172.183.1.0/24');
    expect(s.containers[0]?.networks[0]?.ipv4).toBe('172.183.1.10');
    expect(s.vars).toMatchObject({ mac_net1_subnet: '172.183.1.0/24', image: 'busybox:latest' });
  });

  it('the inventory overrides the defaults, and host numbers follow the subnet', () => {
    const s = resolve(SCENARIO, {
      mac_net1_subnet: '198.19.1.0/24',
      mac_net1_gateway: '198.19.1.1',
    });
    expect(s.networks[0]).toMatchObject({ subnet: '198.19.1.0/24', gateway: '198.19.1.1' });
    expect(s.containers[0]?.networks[0]?.ipv4).toBe('198.19.1.10');
  });

  it('--var overrides both', () => {
    const s = resolve(
      SCENARIO,
      { mac_net1_subnet: '198.19.1.0/24', mac_net1_gateway: '198.19.1.1' },
      { mac_net1_subnet: '10.9.0.0/16', mac_net1_gateway: '1' },
    );
    expect(s.networks[0]).toMatchObject({ subnet: '10.9.0.0/16', gateway: '10.9.0.1' });
    expect(s.containers[0]?.networks[0]?.ipv4).toBe('10.9.0.10');
    expect(s.vars['mac_net1_subnet']).toBe('10.9.0.0/16');
  });

  it('inventory variables the scenario does not declare are usable too', () => {
    const text = SCENARIO.replace('ip: 10', "ip: '${vm4_host}'");
    expect(resolve(text, { vm4_host: '42' }).containers[0]?.networks[0]?.ipv4).toBe('172.183.1.42');
  });

  it('ignores inventory variables whose names cannot be referenced', () => {
    expect(() => resolve(SCENARIO, { 'odd-name': '${x' })).not.toThrow();
  });
});

describe('variable expansion', () => {
  it('a value may use other variables', () => {
    const text = SCENARIO.replace(
      '  mac_net1_subnet: 172.183.1.0/24\n  mac_net1_gateway: 172.183.1.1\n',
      '  net1: 172.183.1\n  mac_net1_subnet: ${net1}.0/24\n  mac_net1_gateway: ${net1}.1\n',
    );
    expect(resolve(text).networks[0]?.subnet).toBe('172.183.1.0/24');
    const moved = resolve(text, {}, { net1: '10.0.7' });
    expect(moved.networks[0]).toMatchObject({ subnet: '10.0.7.0/24', gateway: '10.0.7.1' });
    expect(moved.vars).toMatchObject({ net1: '10.0.7', mac_net1_subnet: '10.0.7.0/24' });
  });

  it('a cycle is an error naming the loop, at the variable', () => {
    const text = SCENARIO.replace(
      '  image: busybox:latest\n',
      '  a: ${b}\n  b: x${a}\n  image: busybox:latest\n',
    );
    const err = caught(() => resolve(text));
    expect(err.message).toBe('variable a refers to itself: a -> b -> a');
    expect(err.context).toMatchObject({ file: 'v.yaml', line: 3, column: 3 });
  });

  it('$${ writes a literal ${', () => {
    const text = `${SCENARIO}    command: [sh, -c, 'echo $\${HOME} \${image}']\n`;
    expect(resolve(text).containers[0]?.command).toEqual([
      'sh',
      '-c',
      'echo ${HOME} busybox:latest',
    ]);
  });
});

describe('unknown variables', () => {
  it('in a value: file:line:column of the reference, the name, and the defined ones', () => {
    const text = SCENARIO.replace('subnet: ${mac_net1_subnet}', 'subnet: ${mac_net1_subnt}');
    const err = caught(() => resolve(text));
    expect(err.message).toBe(
      'networks[0].subnet: unknown variable ${mac_net1_subnt} (did you mean "mac_net1_subnet"?)',
    );
    expect(err.context).toMatchObject({ file: 'v.yaml', line: 10, column: 13 });
    expect(err.context.hint).toMatch(
      /^defined variables: image, mac_net1_gateway, mac_net1_subnet;/,
    );
  });

  it('inside a longer string, the column of the reference itself', () => {
    const err = caught(() => resolve(`${SCENARIO}description: "runs on \${nowhere}"\n`));
    expect(err.context).toMatchObject({ line: 16, column: 23 });
  });

  it('in another variable: at that variable, saying where it came from', () => {
    const err = caught(() => resolve(SCENARIO, {}, { mac_net1_subnet: '${base}.0/24' }));
    expect(err.message).toBe(
      'variable mac_net1_subnet (from --var) uses ${base}, which is not defined',
    );
    expect(err.context.file).toBeUndefined();
    const inv = caught(() => resolve(SCENARIO, { mac_net1_gateway: '${gw}' }));
    expect(inv.message).toMatch(
      /^variable mac_net1_gateway \(from inv\.ini \[all:vars\]\) uses \$\{gw\}/,
    );
    expect(inv.context).toMatchObject({ file: 'inv.ini', line: 7 });
  });

  it('a --var with a name that cannot be a variable', () => {
    const err = caught(() => resolve(SCENARIO, {}, { 'mac-net': 'x' }));
    expect(err.message).toMatch(/^--var mac-net=…: expected a variable name/);
  });
});

describe('substituted values are checked like literal ones', () => {
  it('a bad subnet from --var: at the node, saying how it was written', () => {
    const err = caught(() => resolve(SCENARIO, {}, { mac_net1_subnet: '172.183.1.0/33' }));
    expect(err.message).toMatch(
      /^networks\[0\]\.subnet: expected an IPv4 subnet .*got "172\.183\.1\.0\/33"/,
    );
    expect(err.context).toMatchObject({ line: 10, column: 13 });
    expect(err.context.hint).toBe(
      'written as "${mac_net1_subnet}", with mac_net1_subnet = "172.183.1.0/33" from --var',
    );
  });

  it('an injection through a variable is refused', () => {
    const err = caught(() => resolve(SCENARIO, {}, { image: 'busybox;reboot' }));
    expect(err.message).toMatch(
      /^containers\[0\]: the default image \(variable image\): expected an image reference/,
    );
    const named = SCENARIO.replace('parent: eth0', 'parent: ${nic}');
    const viaName = caught(() => resolve(named, {}, { nic: 'eth0 && reboot' }));
    expect(viaName.message).toMatch(/^networks\[0\]\.parent: expected a network interface name/);
  });
});
