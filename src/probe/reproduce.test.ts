import { describe, expect, it } from 'vitest';
import { probeCommand, sshCommand } from './reproduce.js';

describe('reproduce', () => {
  it('the same image, namespace, interface and ping, by hand', () => {
    const cmd = probeCommand({
      container: 'vm4',
      image: 'lab/busybox:latest',
      kind: 'ip',
      dest: '198.19.1.11',
      iface: 'eth0',
      timeoutSeconds: 1,
    });
    expect(cmd).toBe(
      'docker run --rm --network container:vm4 lab/busybox:latest ping -c 1 -W 1 -I eth0 198.19.1.11',
    );
    expect(
      probeCommand({
        container: 'vm4',
        image: 'i',
        kind: 'name',
        dest: 'vm5',
        timeoutSeconds: 1.5,
      }),
    ).toBe("docker run --rm --network container:vm4 i sh -c 'nslookup vm5 && ping -c 1 -W 2 vm5'");
  });

  it('over ssh as lab connects, with sudo where the inventory says become', () => {
    const target = {
      host: 'server1',
      address: '198.18.0.1',
      port: 22,
      user: 'root',
      become: false,
      privateKeyFile: '/k/id',
      knownHostsFile: '/k/known_hosts',
    };
    expect(sshCommand(target, 'docker ps')).toBe(
      "ssh -i /k/id -o UserKnownHostsFile=/k/known_hosts root@198.18.0.1 'docker ps'",
    );
    expect(
      sshCommand(
        { host: 'h', address: '198.18.0.2', port: 2222, user: 'ops', become: true },
        'docker ps',
      ),
    ).toBe("ssh -p 2222 ops@198.18.0.2 'sudo docker ps'");
    expect(sshCommand(undefined, 'x')).toBe('x');
  });
});
