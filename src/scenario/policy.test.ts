import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { parsePolicy } from './policy.js';
import { matchesAll, parseSelectText } from './selector.js';

const GOOD = `name: shop
expect:
  - from: { label: tier=web }
    reach: { label: tier=db, port: 5432 }
    reason: the web tier talks to its database
  - from: { name: shop-db* }
    not_reach: outside
    reason: the database talks to nothing beyond its network
  - from: { network: shop_front }
    not_reach: { host: server2, port: 53, protocol: udp }
    reason: no DNS to server2
`;

function problemsOf(text: string): string[] {
  try {
    parsePolicy(text, 'p.yaml');
  } catch (err) {
    if (!(err instanceof LabError)) throw err;
    return err.describe().split('\n');
  }
  throw new Error('parsed');
}

describe('policy files', () => {
  it("reads selectors, ports and outside, with each entry's line", () => {
    const p = parsePolicy(GOOD, 'p.yaml');
    expect(p.name).toBe('shop');
    expect(p.rules.map((r) => r.line)).toEqual([3, 6, 9]);
    expect(p.rules[0]).toMatchObject({
      from: { label: { key: 'tier', value: 'web' } },
      to: {
        kind: 'select',
        select: { label: { key: 'tier', value: 'db' } },
        port: { port: 5432, protocol: 'tcp' },
      },
      reach: true,
    });
    expect(p.rules[1]?.to).toEqual({ kind: 'outside' });
    expect(p.rules[2]?.to).toEqual({
      kind: 'host',
      host: 'server2',
      port: { port: 53, protocol: 'udp' },
    });
  });

  it('names file:line:column for every mistake at once', () => {
    const text = `expect:
  - from: { lable: tier=web }
    reach: { label: tier=db, port: 70000 }
    reason: x
  - from: { label: tier=db }
    reach: { label: tier=web }
    not_reach: outside
    reason: y
`;
    const out = problemsOf(text).join('\n');
    expect(out).toMatch(/p\.yaml:2:\d+: .*lable/);
    expect(out).toMatch(/p\.yaml:3:\d+: .*65535/);
    expect(out).toMatch(/p\.yaml:5:\d+: .*exactly one of reach or not_reach/);
  });

  it('refuses a protocol without a port and an empty selector, by line', () => {
    const out = problemsOf(`expect:
  - from: {}
    reach: { label: a=b, protocol: udp }
    reason: x
`).join('\n');
    expect(out).toMatch(/p\.yaml:2:\d+: .*at least one of label, name or network/);
    expect(out).toMatch(/p\.yaml:3:\d+: .*needs a port/);
  });

  it('refuses YAML syntax errors with the line', () => {
    expect(problemsOf('expect:\n  - from: { label: a\n').join('\n')).toMatch(/p\.yaml:\d+/);
  });
});

describe('--select', () => {
  it('parses label, name and network and says what is wrong otherwise', () => {
    expect(parseSelectText('label=com.docker.compose.project=shop')).toEqual({
      label: { key: 'com.docker.compose.project', value: 'shop' },
    });
    expect(parseSelectText('label=tier')).toEqual({ label: { key: 'tier' } });
    expect(parseSelectText('name=shop-*')).toEqual({ name: 'shop-*' });
    expect(parseSelectText('network=shop_back')).toEqual({ network: 'shop_back' });
    expect(parseSelectText('tier=db')).toMatch(
      /expected label=KEY\[=VALUE\], name=PATTERN or network=NAME/,
    );
    expect(parseSelectText('name=a b')).toMatch(/name pattern/);
  });

  it('ORs one kind, ANDs different kinds', () => {
    const web = { name: 'shop-web-1', labels: { tier: 'web' }, networks: ['front'] };
    const db = { name: 'shop-db-1', labels: { tier: 'db' }, networks: ['back'] };
    const sel = [
      { name: 'shop-*' },
      { label: { key: 'tier', value: 'web' } },
      { label: { key: 'tier', value: 'db' } },
    ];
    expect(matchesAll(sel, web)).toBe(true);
    expect(matchesAll(sel, db)).toBe(true);
    expect(matchesAll([...sel, { network: 'front' }], db)).toBe(false);
    expect(matchesAll([{ name: 'shop-?eb-1' }], web)).toBe(true);
    expect(matchesAll([{ name: 'shop' }], web)).toBe(false);
  });
});
