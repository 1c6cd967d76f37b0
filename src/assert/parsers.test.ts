import { describe, expect, it } from 'vitest';
import { parseAddresses } from './ip-addresses.js';
import { describeClaim, parseIptablesRules, ruleMatches } from './iptables-rules.js';
import { describeSocket, parseListening } from './listening-sockets.js';
import { parseNslookup } from './nslookup.js';

// Real output of the box's hosts (Debian 12, iptables-nft 1.8.9, iproute2 6.1, busybox 1.35).
const NAT = `-P PREROUTING ACCEPT
-P POSTROUTING ACCEPT
-N DOCKER
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 198.19.129.0/24 ! -o br-42b72ceec2f2 -j MASQUERADE
-A POSTROUTING -s 198.19.128.0/24 ! -o docker0 -j MASQUERADE
-A POSTROUTING -s 198.19.128.3/32 -d 198.19.128.3/32 -p tcp -m tcp --dport 80 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8088 -j DNAT --to-destination 198.19.128.3:80
-A INPUT -m comment --comment "lab test rule" -j ACCEPT`;

describe('iptables -S rules', () => {
  const rules = parseIptablesRules(NAT);

  it('reads only rules, with chain, options, negations and target', () => {
    expect(rules).toHaveLength(7);
    const masq = rules[1];
    expect(masq?.chain).toBe('POSTROUTING');
    expect(masq?.target).toBe('MASQUERADE');
    expect(masq?.options.get('-s')).toBe('198.19.129.0/24');
    expect(masq?.negated.get('-o')).toBe('br-42b72ceec2f2');
    expect(rules[6]?.options.get('--comment')).toBe('lab test rule');
  });

  it('matches a MASQUERADE rule by its source subnet, and not another subnet', () => {
    const claim = { target: 'MASQUERADE', source: '198.19.128.0/24' };
    expect(rules.filter((r) => ruleMatches(r, claim)).map((r) => r.text)).toEqual([
      '-A POSTROUTING -s 198.19.128.0/24 ! -o docker0 -j MASQUERADE',
    ]);
    expect(
      rules.some((r) => ruleMatches(r, { target: 'MASQUERADE', source: '198.19.20.0/24' })),
    ).toBe(false);
  });

  it('matches a DNAT rule by protocol, port and destination; a wrong port or address fails', () => {
    const claim = {
      target: 'DNAT',
      protocol: 'tcp',
      dport: 8088,
      toDestination: '198.19.128.3:80',
    };
    expect(rules.some((r) => ruleMatches(r, claim))).toBe(true);
    expect(rules.some((r) => ruleMatches(r, { ...claim, dport: 80 }))).toBe(false);
    expect(rules.some((r) => ruleMatches(r, { ...claim, toDestination: '198.19.128.4:80' }))).toBe(
      false,
    );
  });

  it('treats a bare address as the /32 iptables prints', () => {
    expect(
      rules.some((r) =>
        ruleMatches(r, {
          target: 'MASQUERADE',
          source: '198.19.128.3',
          destination: '198.19.128.3',
        }),
      ),
    ).toBe(true);
    expect(describeClaim({ target: 'MASQUERADE', source: '198.19.128.3' })).toBe(
      '-s 198.19.128.3/32 -j MASQUERADE',
    );
    expect(describeClaim({ target: 'MASQUERADE', source: '<subnet of x>' })).toBe(
      '-s <subnet of x> -j MASQUERADE',
    );
  });
});

describe('ss -ltnp sockets', () => {
  const SS = `State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess
LISTEN 0      128       198.18.0.1:22        0.0.0.0:*    users:(("sshd",pid=12440,fd=4))
LISTEN 0      4096         0.0.0.0:8088      0.0.0.0:*    users:(("docker-proxy",pid=3826,fd=4))
LISTEN 0      4096            [::]:8088         [::]:*    users:(("docker-proxy",pid=3833,fd=4))
LISTEN 0      4096            [::]:9000         [::]:*`;

  it('reads address, port and processes; IPv6 addresses keep their brackets', () => {
    const s = parseListening(SS);
    expect(s.map((x) => `${x.address}:${x.port}`)).toEqual([
      '198.18.0.1:22',
      '0.0.0.0:8088',
      '[::]:8088',
      '[::]:9000',
    ]);
    expect(s[1]?.processes).toEqual([{ name: 'docker-proxy', pid: 3826 }]);
    expect(s[3]?.processes).toEqual([]);
    expect(describeSocket(s[1]!)).toBe('0.0.0.0:8088 docker-proxy (pid 3826)');
  });

  it('reads udp sockets (UNCONN) too, and nothing from the header', () => {
    const udp =
      'State  Recv-Q Send-Q Local Address:Port Peer Address:Port\nUNCONN 0 0 0.0.0.0:53 0.0.0.0:*';
    expect(parseListening(udp).map((x) => x.port)).toEqual([53]);
  });
});

describe('nslookup answers', () => {
  it('takes the answer, never the server (busybox 1.35, the embedded DNS)', () => {
    const out = `Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\n\nNon-authoritative answer:\nName:\tvm2\nAddress: 172.20.0.2\n`;
    expect(parseNslookup(out)).toEqual(['172.20.0.2']);
  });

  it('reads old busybox and bind forms', () => {
    expect(
      parseNslookup(
        'Server: 10.0.0.2\nAddress 1: 10.0.0.2\n\nName: vm2\nAddress 1: 172.20.0.2 vm2.my_net2\n',
      ),
    ).toEqual(['172.20.0.2']);
    expect(
      parseNslookup('Name:\tvm2\nAddress: 172.20.0.2\nName:\tvm2\nAddress: 172.20.0.3\n'),
    ).toEqual(['172.20.0.2', '172.20.0.3']);
  });

  it('finds nothing when the name does not resolve', () => {
    expect(parseNslookup(';; connection timed out; no servers could be reached\n')).toEqual([]);
    expect(
      parseNslookup(
        "Server:\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n** server can't find vm5: NXDOMAIN\n",
      ),
    ).toEqual([]);
  });
});

describe('ip -o -4 addr', () => {
  it('reads iproute2 and busybox lines, interface names without @peer', () => {
    const out = `1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
15: eth0    inet 198.19.129.2/24 brd 198.19.129.255 scope global eth0\\       valid_lft forever
14: br-81388ff54083    inet 198.19.129.1/24 brd 198.19.129.255 scope global br-81388ff54083`;
    expect(parseAddresses(out)).toEqual([
      { interface: 'lo', address: '127.0.0.1', prefixLength: 8 },
      { interface: 'eth0', address: '198.19.129.2', prefixLength: 24 },
      { interface: 'br-81388ff54083', address: '198.19.129.1', prefixLength: 24 },
    ]);
  });
});
