import { describe, expect, it } from 'vitest';
import * as f from './formats.js';
import { parseTemplate } from './template.js';

const ok = (format: f.Format, v: string) => format.problem(v) === undefined;

describe('formats', () => {
  it.each([
    'busybox',
    'busybox:latest',
    'lab/busybox:latest',
    'registry.example:5000/team/app:1.0',
    'localhost/x_y__z-w:tag.1',
    `ubuntu@sha256:${'a'.repeat(64)}`,
  ])('image %s is accepted', (v) => expect(ok(f.imageRef, v)).toBe(true));

  it.each([
    'Busybox',
    'busybox;reboot',
    'busybox:',
    ':latest',
    'a//b',
    '-x',
    'busybox latest',
    '$(reboot)',
    'a:b:c',
  ])('image %s is refused', (v) => expect(ok(f.imageRef, v)).toBe(false));

  it.each(['80', '8080:80', '127.0.0.1:8080:80', '53:53/udp', '8000-8010:8000-8010'])(
    'publish %s is accepted',
    (v) => expect(ok(f.publishSpec, v)).toBe(true),
  );

  it.each(['0:80', '70000:80', '1.2.3:80:80', '999.1.1.1:80:80', '80/icmp', '80:80 -v /:/h'])(
    'publish %s is refused',
    (v) => expect(ok(f.publishSpec, v)).toBe(false),
  );

  it('addresses are strict dotted quads', () => {
    expect(ok(f.ipv4, '172.183.1.10')).toBe(true);
    for (const v of ['172.183.1', '0x0a.0.0.1', '010.0.0.1', '1.2.3.256', '::1'])
      expect(ok(f.ipv4, v)).toBe(false);
    expect(ok(f.ipv4OrHostNumber, '10')).toBe(true);
  });

  it('subnets', () => {
    expect(f.cidr4.problem('172.183.1.0/24')).toBeUndefined();
    expect(f.cidr4.problem('172.183.1.0/31')).toMatch(/no room for containers/);
    expect(f.cidr4.problem('172.183.1.0/40')).toMatch(/at most 32/);
    expect(f.cidr4.problem('172.183.1.0')).toMatch(/a\.b\.c\.d\/prefix/);
  });

  it('interface names', () => {
    expect(ok(f.interfaceName, 'eth0.1')).toBe(true);
    expect(ok(f.interfaceName, 'enp0s31f6')).toBe(true);
    for (const v of ['', '.eth0', 'eth 0', 'eth0/1', 'a'.repeat(16)])
      expect(ok(f.interfaceName, v)).toBe(false);
  });
});

describe('templates', () => {
  it('splits text and references, unescaping $${', () => {
    expect(parseTemplate('a${x}b$${y}$z')).toEqual([
      { text: 'a' },
      { variable: 'x', index: 1 },
      { text: 'b${y}$z' },
    ]);
  });
});
