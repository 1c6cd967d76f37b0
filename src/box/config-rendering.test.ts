import { describe, expect, it } from 'vitest';
import { dockerAddressPlan } from './network/address-plan.js';
import { renderDockerdConfig } from './host/dockerd-config.js';
import { renderContainersConf } from './engine/podman.js';
import { renderInventory } from './inventory-text.js';
import { renderKnownHosts } from './host/known-hosts.js';
import { renderSshdConfig } from './host/sshd-config.js';

describe('sshd_config', () => {
  const config = renderSshdConfig({
    host: 'server1',
    listenAddress: '198.18.0.1',
    hostKey: '/var/lib/lab-box/server1/ssh_host_ed25519_key',
    authorizedKeys: '/var/lib/lab-box/authorized_keys',
  });

  it('listens on the host address, port 22, with the box host key, PAM off, keys only', () => {
    const lines = config.split('\n');
    expect(lines).toContain('ListenAddress 198.18.0.1:22');
    expect(lines).toContain('HostKey /var/lib/lab-box/server1/ssh_host_ed25519_key');
    expect(lines).toContain('UsePAM no');
    expect(lines).toContain('PermitRootLogin prohibit-password');
    expect(lines).toContain('PasswordAuthentication no');
    expect(lines).toContain('AuthorizedKeysFile /var/lib/lab-box/authorized_keys');
    expect(lines).toContain('PidFile /run/sshd.pid');
  });

  it("keeps OpenSSH's session limits at their defaults", () => {
    expect(config).not.toMatch(/MaxSessions|MaxStartups/);
  });

  it('refuses to listen outside the box range', () => {
    expect(() =>
      renderSshdConfig({ host: 'x', listenAddress: '10.0.0.1', hostKey: 'k', authorizedKeys: 'a' }),
    ).toThrow(/outside the box's range/);
  });
});

describe('daemon.json', () => {
  it('puts socket, pidfile and exec root in the host /run, data on disk, pools in the host slice', () => {
    const config = JSON.parse(
      renderDockerdConfig({
        dataRoot: '/var/lib/lab-box/server2/docker',
        identityKey: '/var/lib/lab-box/server2/docker-identity.json',
        cgroupParent: 'labbox-server2',
        addresses: dockerAddressPlan(2),
      }),
    );
    expect(config).toEqual({
      hosts: ['unix:///run/docker.sock'],
      pidfile: '/run/docker.pid',
      'exec-root': '/run/docker',
      'data-root': '/var/lib/lab-box/server2/docker',
      'deprecated-key-path': '/var/lib/lab-box/server2/docker-identity.json',
      bip: '198.19.144.1/24',
      'default-address-pools': [{ base: '198.19.144.0/20', size: 24 }],
      'cgroup-parent': '/labbox-server2',
      dns: ['198.19.144.1'],
      'dns-opts': ['ndots:1'],
    });
  });

  it('refuses Docker pools outside the box range', () => {
    expect(() =>
      renderDockerdConfig({
        dataRoot: '/d',
        identityKey: '/k',
        cgroupParent: 'c',
        addresses: { bip: '172.17.0.1/16', poolBase: '172.17.0.0/16', poolSize: 24 },
      }),
    ).toThrow(LabErrorMessage);
  });
});
const LabErrorMessage = /outside the box's range 198\.18\.0\.0\/15/;

describe('containers.conf of a podman host', () => {
  it('keeps conmon in the host’s cgroup, names runc, caps ulimits, and keeps everything in its directory', () => {
    const dir = '/var/lib/lab-box/server1/docker';
    const lines = renderContainersConf(dir, {
      dataRoot: dir,
      identityKey: '/k',
      cgroupParent: 'labbox-server1',
      addresses: dockerAddressPlan(1),
    }).split('\n');
    expect(lines).toContain('cgroups = "no-conmon"');
    // crun, which podman prefers where both are installed, refuses this machine's hybrid cgroups.
    expect(lines).toContain('runtime = "runc"');
    expect(lines).toContain('default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]');
    expect(lines).toContain(`network_config_dir = "${dir}/networks"`);
    expect(lines).toContain('exit_command_delay = 10');
  });
});

describe('inventory.ini', () => {
  it('has exactly the agreed shape', () => {
    const text = renderInventory({
      createdAt: '2026-01-02T03:04:05.000Z',
      hosts: [
        { name: 'server1', address: '198.18.0.1' },
        { name: 'server2', address: '198.18.0.2' },
      ],
      clientKey: '/var/lib/lab-box/id_ed25519',
      knownHosts: '/var/lib/lab-box/known_hosts',
    });
    expect(text).toBe(
      [
        "# Written by `lab box up` on 2026-01-02T03:04:05.000Z: the box's hosts. Do not edit; `lab box down` removes it.",
        '[box]',
        'server1 ansible_host=198.18.0.1',
        'server2 ansible_host=198.18.0.2',
        '',
        '[box:vars]',
        'ansible_user=root',
        'ansible_port=22',
        'ansible_ssh_private_key_file=/var/lib/lab-box/id_ed25519',
        'lab_known_hosts=/var/lib/lab-box/known_hosts',
        '',
        '[all:vars]',
        'image=lab/busybox:latest',
        'mac_net1_subnet=198.19.1.0/24',
        'mac_net1_gateway=198.19.1.1',
        'mac_net2_subnet=198.19.2.0/24',
        'mac_net2_gateway=198.19.2.1',
        'mac_net3_subnet=198.19.3.0/24',
        'mac_net3_gateway=198.19.3.1',
        'my_net2_subnet=198.19.20.0/24',
        'my_net2_gateway=198.19.20.1',
        'overlay_subnet=198.19.30.0/24',
        'swarm_address_pool=198.19.64.0/18',
        'lab_outside_address=198.18.0.254',
        '',
      ].join('\n'),
    );
  });
});

describe('known_hosts', () => {
  it('lists each host key under the address and the name, without the comment', () => {
    expect(
      renderKnownHosts([
        {
          name: 'server1',
          address: '198.18.0.1',
          publicKey: 'ssh-ed25519 AAAAkey1 lab-box-server1',
        },
        {
          name: 'server2',
          address: '198.18.0.2',
          publicKey: 'ssh-ed25519 AAAAkey2 lab-box-server2\n',
        },
      ]),
    ).toBe(
      [
        '198.18.0.1 ssh-ed25519 AAAAkey1',
        'server1 ssh-ed25519 AAAAkey1',
        '198.18.0.2 ssh-ed25519 AAAAkey2',
        'server2 ssh-ed25519 AAAAkey2',
        '',
      ].join('\n'),
    );
  });

  it('refuses something that is not a public key', () => {
    expect(() =>
      renderKnownHosts([{ name: 's', address: '198.18.0.1', publicKey: 'garbage' }]),
    ).toThrow(/not a public key/);
  });
});
