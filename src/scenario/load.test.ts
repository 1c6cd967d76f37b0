import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { loadScenarioFile, parseScenario } from './load.js';

/** The LabError that `fn` throws (fails the test if it throws anything else or nothing). */
function caught(fn: () => unknown): LabError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
  throw new Error('expected a LabError');
}

const at = (err: LabError) => `${err.context.line}:${err.context.column}`;

describe('loadScenarioFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-scenario-load-'));

  it('loads a file written to disk and keeps ${var} references for later', async () => {
    const file = join(dir, 'tiny.yaml');
    writeFileSync(
      file,
      'name: tiny\nvars: { sub: 10.0.0.0/24 }\nnetworks:\n  - { name: n, driver: bridge, subnet: "${sub}" }\n',
    );
    const doc = await loadScenarioFile(file);
    expect(doc.file).toBe(file);
    expect(doc.source.networks?.[0]?.subnet).toBe('${sub}');
    expect(doc.hosts).toEqual(['all']);
  });

  it('says which file it cannot read', async () => {
    const err = await loadScenarioFile(join(dir, 'absent.yaml')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).message).toMatch(/cannot read scenario: no such file/);
    expect((err as LabError).context.file).toBe(join(dir, 'absent.yaml'));
  });

  it('reports schema errors with the file, line and column', async () => {
    const file = join(dir, 'typo.yaml');
    writeFileSync(
      file,
      'name: typo\nnetworks:\n  - name: mac_net1\n    driver: macvlon\n    parent: eth0\n',
    );
    const err: unknown = await loadScenarioFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).describe()).toBe(
      `${file}:4:13: networks[0].driver: expected one of bridge, macvlan, overlay, got "macvlon" (did you mean "macvlan"?)`,
    );
  });
});

describe('parseScenario: schema errors point at the exact line and column', () => {
  it('an unknown key, at the key, with a suggestion and the allowed keys', () => {
    const err = caught(() =>
      parseScenario(
        'name: x\nnetworks:\n  - name: a\n    driver: bridge\n    subnett: 10.1.0.0/24\n',
        'x.yaml',
      ),
    );
    expect(at(err)).toBe('5:5');
    expect(err.message).toBe('networks[0].subnett: unknown key "subnett" (did you mean "subnet"?)');
    expect(err.context.hint).toMatch(/^allowed here: name, driver, hosts, subnet, gateway/);
  });

  it('an unknown top-level key', () => {
    const err = caught(() => parseScenario('name: x\ncontainer:\n  - name: a\n', 'x.yaml'));
    expect(at(err)).toBe('2:1');
    expect(err.message).toBe('container: unknown key "container" (did you mean "containers"?)');
  });

  it('a misspelt required key is reported once, as the misspelling', () => {
    const err = caught(() =>
      parseScenario('name: x\nnetworks:\n  - nme: a\n    driver: bridge\n', 'x.yaml'),
    );
    expect(err.message).toBe('networks[0].nme: unknown key "nme" (did you mean "name"?)');
    expect(at(err)).toBe('3:5');
  });

  it('a missing key, at the mapping it belongs in', () => {
    const err = caught(() => parseScenario('name: x\nnetworks:\n  - driver: bridge\n', 'x.yaml'));
    expect(at(err)).toBe('3:5');
    expect(err.message).toBe('networks[0]: missing "name" (a Docker name like mac_net1 or vm4)');
  });

  it('a number where a string belongs, with a hint to quote it', () => {
    const text =
      'name: x\ncontainers:\n  - name: a\n    host: server1\n    networks: [n]\n    command: [sleep, 3600]\n';
    const err = caught(() => parseScenario(text, 'x.yaml'));
    expect(at(err)).toBe('6:22');
    expect(err.message).toBe('containers[0].command[1]: expected a string, got 3600');
    expect(err.context.hint).toBe('quote it to make it a string: "3600"');
  });

  it('a number out of range', () => {
    const err = caught(() =>
      parseScenario(
        'name: x\nnics:\n  - interface: eth0.1\n    vlan: { parent: eth0, id: 5000 }\n',
        'x.yaml',
      ),
    );
    expect(at(err)).toBe('4:31');
    expect(err.message).toBe('nics[0].vlan.id: expected a VLAN id from 1 to 4094, got 5000');
  });

  it('a target of the wrong shape: the right branch is picked for the message', () => {
    const base = 'name: x\nexpect:\n  - from: vm5\n    reason: because\n';
    const typo = caught(() =>
      parseScenario(`${base}    not_reach: { gatway: mac_net1 }\n`, 'x.yaml'),
    );
    expect(at(typo)).toBe('5:18');
    expect(typo.message).toBe(
      'expect[0].not_reach.gatway: unknown key "gatway" (did you mean "gateway"?)',
    );
    const bad = caught(() => parseScenario(`${base}    reach: { host: 'a b' }\n`, 'x.yaml'));
    expect(at(bad)).toBe('5:20');
    expect(bad.message).toMatch(
      /^expect\[0\]\.reach\.host: expected an inventory host or group name/,
    );
    const list = caught(() => parseScenario(`${base}    reach: [vm4]\n`, 'x.yaml'));
    expect(list.message).toMatch(
      /^expect\[0\]\.reach: expected a container name, or one of \{container: NAME/,
    );
  });

  it('an expectation needs exactly one of reach and not_reach', () => {
    const err = caught(() =>
      parseScenario('name: x\nexpect:\n  - from: a\n    reason: r\n', 'x.yaml'),
    );
    expect(at(err)).toBe('3:5');
    expect(err.message).toBe('expect[0]: give exactly one of reach or not_reach');
    const both = caught(() =>
      parseScenario(
        'name: x\nexpect:\n  - { from: a, reach: b, not_reach: c, reason: r }\n',
        'x.yaml',
      ),
    );
    expect(both.message).toBe('expect[0]: give exactly one of reach or not_reach');
  });

  it('an empty reason is refused: every expectation says why', () => {
    const err = caught(() =>
      parseScenario("name: x\nexpect:\n  - { from: a, reach: b, reason: ' ' }\n", 'x.yaml'),
    );
    expect(err.message).toMatch(/^expect\[0\]\.reason: expected a sentence saying why/);
  });

  it('reports every problem, the first one as the error itself', () => {
    const err = caught(() =>
      parseScenario(
        'name: x\nnics:\n  - interface: 7\n  - interface: eth0\n    promisc: yes\n',
        'x.yaml',
      ),
    );
    expect(at(err)).toBe('3:16');
    expect(err.message).toMatch(
      /^nics\[0\]\.interface: expected a network interface name.*, got 7$/,
    );
    expect(err.describe()).toMatch(/^2 problems in x\.yaml:\nx\.yaml:3:16: nics\[0\]\.interface: /);
    expect(err.describe()).toMatch(/\nx\.yaml:5:14: nics\[1\]\.promisc: /);
  });

  it('an empty file', () => {
    const err = caught(() => parseScenario('', 'x.yaml'));
    expect(err.message).toMatch(/^\(document\): expected a mapping, got nothing/);
  });
});

describe('parseScenario: names are strict, so nothing can be smuggled onto a command line', () => {
  const cases: [string, string, string, RegExp][] = [
    [
      'an interface',
      'nics:\n  - interface: "eth0; rm -rf /"\n',
      '3:16',
      /^nics\[0\]\.interface: expected a network interface name .*got "eth0; rm -rf \/" \(only letters/,
    ],
    [
      'a container',
      "containers:\n  - name: '$(reboot)'\n    host: server1\n    networks: [n]\n",
      '3:11',
      /^containers\[0\]\.name: expected a Docker name .*got "\$\(reboot\)"/,
    ],
    [
      'a network',
      'networks:\n  - name: "n`id`"\n    driver: bridge\n',
      '3:11',
      /^networks\[0\]\.name: expected a Docker name/,
    ],
    [
      'an image',
      'containers:\n  - name: a\n    host: server1\n    image: "busybox; reboot"\n    networks: [n]\n',
      '5:12',
      /^containers\[0\]\.image: expected an image reference .*got "busybox; reboot"/,
    ],
    [
      'a host',
      'hosts: ["server1 && reboot"]\n',
      '2:9',
      /^hosts\[0\]: expected an inventory host or group name/,
    ],
    [
      'a driver option name',
      'networks:\n  - name: n\n    driver: bridge\n    options: { "a=b; reboot": x }\n',
      '5:16',
      /^networks\[0\]\.options\.a=b; reboot: expected a driver option name/,
    ],
    [
      'a VLAN parent',
      'nics:\n  - interface: eth0.1\n    vlan: { parent: "$(reboot)", id: 1 }\n',
      '4:21',
      /^nics\[0\]\.vlan\.parent: expected a network interface name/,
    ],
    [
      'a publish spec',
      'containers:\n  - name: a\n    host: server1\n    networks: [n]\n    publish: ["80:80 -v /:/host"]\n',
      '6:15',
      /^containers\[0\]\.publish\[0\]: expected a port mapping/,
    ],
  ];
  it.each(cases)('in %s', (_what, body, position, message) => {
    const err = caught(() => parseScenario(`name: x\n${body}`, 'x.yaml'));
    expect(at(err)).toBe(position);
    expect(err.message).toMatch(message);
  });

  it('an interface name longer than the kernel allows', () => {
    const err = caught(() =>
      parseScenario('name: x\nnics: [{ interface: enp0s31f6.10000x }]\n', 'x.yaml'),
    );
    expect(err.message).toMatch(/Linux interface names are at most 15 characters, this one has 16/);
  });

  it('a subnet with host bits set, with the subnet meant', () => {
    const err = caught(() =>
      parseScenario(
        'name: x\nnetworks: [{ name: n, driver: bridge, subnet: 10.1.2.3/24 }]\n',
        'x.yaml',
      ),
    );
    expect(err.message).toMatch(
      /got "10\.1\.2\.3\/24" \(host bits are set; the subnet is 10\.1\.2\.0\/24\)/,
    );
  });

  it('command arguments may hold anything: they are an argv array, never a shell line', () => {
    const text =
      "name: x\ncontainers:\n  - { name: a, host: s, networks: [n], command: [sh, -c, 'echo $HOME; ls | wc -l'] }\n";
    expect(parseScenario(text, 'x.yaml').source.containers?.[0]?.command).toEqual([
      'sh',
      '-c',
      'echo $HOME; ls | wc -l',
    ]);
  });
});

describe('parseScenario: variables at load time', () => {
  it('accepts ${var} where the value is not known yet, and checks literals now', () => {
    const doc = parseScenario(
      'name: x\nnetworks:\n  - { name: n, driver: bridge, subnet: "${sub}", gateway: "${gw}" }\n',
      'x.yaml',
    );
    expect(doc.source.networks?.[0]).toMatchObject({ subnet: '${sub}', gateway: '${gw}' });
  });

  it('refuses a malformed reference', () => {
    const err = caught(() => parseScenario('name: x\ndescription: "on ${mac-net}"\n', 'x.yaml'));
    expect(at(err)).toBe('2:14');
    expect(err.message).toBe(
      'description: "${mac-net}" is not a variable reference: names are letters, digits and _',
    );
    const open = caught(() => parseScenario('name: x\ndescription: "on ${net"\n', 'x.yaml'));
    expect(open.message).toMatch(/^description: unterminated "\$\{"/);
  });

  it('refuses variables in name and in the top-level hosts, which are needed before resolving', () => {
    expect(caught(() => parseScenario('name: ${n}\n', 'x.yaml')).message).toMatch(
      /^name: .*variables are not allowed here/,
    );
    expect(caught(() => parseScenario('name: x\nhosts: ${h}\n', 'x.yaml')).message).toMatch(
      /^hosts: .*variables are not allowed here/,
    );
  });

  it('explains the YAML trap of an unquoted ${var} inside { }', () => {
    const err = caught(() =>
      parseScenario(
        'name: x\ncontainers:\n  - { name: a, host: s, networks: [{ network: n, ip: ${ip} }] }\n',
        'x.yaml',
      ),
    );
    expect(err.message).toMatch(/^YAML syntax: /);
    expect(err.context.line).toBe(3);
    expect(err.context.hint).toMatch(/quote a value that uses a variable/);
  });
});

describe('parseScenario: YAML and file-level rules', () => {
  it('a syntax error, with its position', () => {
    const err = caught(() => parseScenario('name: x\nnics: [1, 2\nnetworks: []\n', 'x.yaml'));
    expect(err.message).toMatch(/^YAML syntax: /);
    expect(err.context).toMatchObject({ file: 'x.yaml', line: 3, column: 1 });
  });

  it('a repeated key is an error, not last-one-wins', () => {
    const err = caught(() => parseScenario('name: x\nvars:\n  a: 1\n  a: 2\n', 'x.yaml'));
    expect(err.message).toBe('YAML syntax: Map keys must be unique');
    expect(at(err)).toBe('4:3');
  });

  it('name must be the file name: lab run finds the file by it and lab down finds labels by name', () => {
    const err = caught(() => parseScenario('name: other\n', 'scenarios/mine.yaml'));
    expect(err.message).toBe('name: "other" differs from the file name "mine"');
    expect(at(err)).toBe('1:7');
    expect(parseScenario('name: mine\n', 'scenarios/mine.yml').source.name).toBe('mine');
  });

  it('the top-level hosts as written, for lab down', () => {
    expect(parseScenario('name: x\nhosts: servers\n', 'x.yaml').hosts).toEqual(['servers']);
    expect(parseScenario('name: x\nhosts: [server1, server2]\n', 'x.yaml').hosts).toEqual([
      'server1',
      'server2',
    ]);
  });
});
