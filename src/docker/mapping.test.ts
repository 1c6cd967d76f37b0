import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import {
  containerCreateBody,
  labelFilters,
  networkCreateBody,
  parsePublish,
  toContainerInfo,
  toEngineInfo,
  toEngineVersion,
  toNetworkInfo,
  toVolume,
} from './mapping.js';

// Recorded from a box host (Engine 20.10.24, API 1.41), trimmed to the fields that matter plus a few
// that do not, so the mapping is seen ignoring them.
const VERSION_20_10 = {
  Platform: { Name: '' },
  Version: '20.10.24+dfsg1',
  ApiVersion: '1.41',
  MinAPIVersion: '1.12',
  GitCommit: '5d6db84',
  GoVersion: 'go1.19.8',
  Os: 'linux',
  Arch: 'amd64',
  KernelVersion: '6.1.0-18-amd64',
  BuildTime: '2023-05-18T08:38:34.000000000+00:00',
};

// RHEL 7's Docker 1.13: no MinAPIVersion in older builds, Swarm without LocalNodeState.
const VERSION_1_13 = {
  Version: '1.13.1',
  ApiVersion: '1.26',
  Os: 'linux',
  KernelVersion: '3.10.0-1160.el7.x86_64',
};

const MACVLAN_NETWORK = {
  Name: 'mac_net1',
  Id: '8e1c3a0f5b2d7c9e4f6a1b3d5c7e9f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e',
  Created: '2024-05-02T10:11:12.123456789Z',
  Scope: 'local',
  Driver: 'macvlan',
  EnableIPv6: false,
  IPAM: {
    Driver: 'default',
    Options: {},
    Config: [
      { Subnet: 'fd00:198:18::/64', Gateway: 'fd00:198:18::1' },
      { Subnet: '198.18.10.0/24', Gateway: '198.18.10.1' },
    ],
  },
  Internal: false,
  Attachable: false,
  Ingress: false,
  ConfigFrom: { Network: '' },
  ConfigOnly: false,
  Containers: {
    '3f4e5d6c7b8a': {
      Name: 'vm4',
      EndpointID: 'aa11',
      MacAddress: '02:42:c6:12:0a:04',
      IPv4Address: '198.18.10.4/24',
      IPv6Address: '',
    },
    '9a8b7c6d5e4f': {
      Name: 'vm5',
      EndpointID: 'bb22',
      MacAddress: '02:42:c6:12:0a:05',
      IPv4Address: '',
      IPv6Address: '',
    },
  },
  Options: { parent: 'eth0' },
  Labels: { 'lab.managed': 'true', 'lab.scenario': 'seed' },
};

// A list entry of an old engine: nulls where newer engines send {} and no Containers at all.
const OLD_LIST_NETWORK = {
  Name: 'bridge',
  Id: 'f00d',
  Scope: 'local',
  Driver: 'bridge',
  IPAM: { Driver: 'default', Options: null, Config: [{ Subnet: '172.17.0.0/16' }] },
  Containers: null,
  Options: null,
  Labels: null,
};

const RUNNING_CONTAINER = {
  Id: '3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e',
  Created: '2024-05-02T10:11:13Z',
  Path: '/bin/sh',
  Args: [],
  State: { Status: 'running', Running: true, Paused: false, Pid: 41234, ExitCode: 0 },
  Image: 'sha256:1d2c3b4a',
  Name: '/vm4',
  Config: {
    Hostname: 'vm4',
    Image: 'lab/busybox:latest',
    Labels: { 'lab.managed': 'true' },
    Tty: true,
    OpenStdin: true,
  },
  NetworkSettings: {
    Bridge: '',
    IPAddress: '',
    Networks: {
      mac_net1: {
        IPAMConfig: { IPv4Address: '198.18.10.4' },
        NetworkID: '8e1c',
        EndpointID: 'aa11',
        Gateway: '198.18.10.1',
        IPAddress: '198.18.10.4',
        IPPrefixLen: 24,
        MacAddress: '02:42:c6:12:0a:04',
      },
      none_yet: { NetworkID: 'x', Gateway: '', IPAddress: '', IPPrefixLen: 0, MacAddress: '' },
    },
  },
};

const STOPPED_CONTAINER = {
  Id: 'dead',
  Name: '/vm5',
  State: { Status: 'exited', Running: false, Pid: 0 },
  Config: { Image: 'lab/busybox:latest', Labels: null },
  NetworkSettings: { Networks: null },
};

describe('engine JSON → lab types', () => {
  it('maps /version, old and new', () => {
    expect(toEngineVersion(VERSION_20_10)).toEqual({
      kind: 'docker',
      product: 'Docker',
      version: '20.10.24+dfsg1',
      apiVersion: '1.41',
      os: 'linux',
      kernel: '6.1.0-18-amd64',
    });
    expect(toEngineVersion(VERSION_1_13).apiVersion).toBe('1.26');
  });

  it('maps /info, with swarm inactive when an old engine says nothing', () => {
    expect(
      toEngineInfo({ ID: 'ABCD:EFGH', Name: 'server1', Swarm: { LocalNodeState: 'active' } }),
    ).toEqual({
      id: 'ABCD:EFGH',
      name: 'server1',
      swarm: 'active',
    });
    expect(toEngineInfo({ ID: 'x', Name: 'y', Swarm: { LocalNodeState: '' } }).swarm).toBe(
      'inactive',
    );
    expect(toEngineInfo({ ID: 'x', Name: 'y' }).swarm).toBe('inactive');
  });

  it('maps a network: first IPv4 pool, addresses without prefix, labels and options', () => {
    expect(toNetworkInfo(MACVLAN_NETWORK)).toEqual({
      id: MACVLAN_NETWORK.Id,
      name: 'mac_net1',
      driver: 'macvlan',
      labels: { 'lab.managed': 'true', 'lab.scenario': 'seed' },
      subnet: '198.18.10.0/24',
      gateway: '198.18.10.1',
      options: { parent: 'eth0' },
      containers: [{ name: 'vm4', ipv4: '198.18.10.4' }, { name: 'vm5' }],
    });
  });

  it('maps an old engine network with nulls and no gateway', () => {
    expect(toNetworkInfo(OLD_LIST_NETWORK)).toEqual({
      id: 'f00d',
      name: 'bridge',
      driver: 'bridge',
      labels: {},
      subnet: '172.17.0.0/16',
      options: {},
      containers: [],
    });
  });

  it('maps a running container: name without slash, image as asked, pid, networks', () => {
    expect(toContainerInfo(RUNNING_CONTAINER)).toEqual({
      id: RUNNING_CONTAINER.Id,
      name: 'vm4',
      image: 'lab/busybox:latest',
      labels: { 'lab.managed': 'true' },
      running: true,
      pid: 41234,
      networks: {
        mac_net1: {
          ipv4: '198.18.10.4',
          prefixLength: 24,
          gateway: '198.18.10.1',
          mac: '02:42:c6:12:0a:04',
        },
        none_yet: {},
      },
    });
  });

  it('maps a stopped container with null labels and networks', () => {
    expect(toContainerInfo(STOPPED_CONTAINER)).toEqual({
      id: 'dead',
      name: 'vm5',
      image: 'lab/busybox:latest',
      labels: {},
      running: false,
      pid: 0,
      networks: {},
    });
  });

  it('maps volumes with null labels', () => {
    expect(toVolume({ Name: 'lab-nic.seed.eth0', Labels: null })).toEqual({
      name: 'lab-nic.seed.eth0',
      labels: {},
    });
  });
});

describe('lab types → engine JSON', () => {
  it('builds label filters as the list endpoints want them', () => {
    expect(labelFilters(undefined)).toBeUndefined();
    expect(labelFilters({})).toBeUndefined();
    expect(JSON.parse(labelFilters({ 'lab.managed': 'true', 'lab.scenario': 'seed' })!)).toEqual({
      label: ['lab.managed=true', 'lab.scenario=seed'],
    });
  });

  it('builds a network create body', () => {
    expect(
      networkCreateBody({
        name: 'mac_net1',
        driver: 'macvlan',
        subnet: '198.18.10.0/24',
        gateway: '198.18.10.1',
        options: { parent: 'eth0' },
        labels: { 'lab.managed': 'true' },
        attachable: true,
      }),
    ).toEqual({
      Name: 'mac_net1',
      CheckDuplicate: true,
      Driver: 'macvlan',
      IPAM: { Driver: 'default', Config: [{ Subnet: '198.18.10.0/24', Gateway: '198.18.10.1' }] },
      Options: { parent: 'eth0' },
      Labels: { 'lab.managed': 'true' },
      Attachable: true,
    });
    expect(
      networkCreateBody({ name: 'b', driver: 'bridge', options: {}, labels: {} }),
    ).not.toHaveProperty('IPAM');
  });

  it('builds a container create body with a static IP on its network and published ports', () => {
    expect(
      containerCreateBody({
        name: 'vm4',
        image: 'lab/busybox:latest',
        labels: { 'lab.managed': 'true' },
        network: { name: 'mac_net1', ipv4: '198.18.10.4' },
        publish: ['8080:80', '5353:53/udp', '127.0.0.1:9090:90/tcp'],
        interactive: true,
      }),
    ).toEqual({
      Image: 'lab/busybox:latest',
      Hostname: 'vm4',
      Labels: { 'lab.managed': 'true' },
      Tty: true,
      OpenStdin: true,
      AttachStdin: false,
      StdinOnce: false,
      ExposedPorts: { '80/tcp': {}, '53/udp': {}, '90/tcp': {} },
      HostConfig: {
        PortBindings: {
          '80/tcp': [{ HostIp: '', HostPort: '8080' }],
          '53/udp': [{ HostIp: '', HostPort: '5353' }],
          '90/tcp': [{ HostIp: '127.0.0.1', HostPort: '9090' }],
        },
        NetworkMode: 'mac_net1',
      },
      NetworkingConfig: {
        EndpointsConfig: { mac_net1: { IPAMConfig: { IPv4Address: '198.18.10.4' } } },
      },
    });
  });

  it('leaves out what was not asked for', () => {
    expect(
      containerCreateBody({
        name: 'c',
        image: 'i',
        labels: {},
        command: ['sleep', '1'],
        hostname: 'h',
      }),
    ).toEqual({
      Image: 'i',
      Hostname: 'h',
      Cmd: ['sleep', '1'],
      Labels: {},
      HostConfig: {},
    });
    expect(
      containerCreateBody({ name: 'c', image: 'i', labels: {}, network: { name: 'n' } }),
    ).toMatchObject({
      NetworkingConfig: { EndpointsConfig: { n: {} } },
    });
  });

  it("joins another container's network namespace without a hostname or networks of its own", () => {
    expect(
      containerCreateBody({
        name: 'probe',
        image: 'i',
        labels: { 'lab.kind': 'probe' },
        command: ['sleep', '60'],
        networkMode: 'container:3f4e5d6c7b8a',
        autoRemove: true,
        network: { name: 'ignored' },
      }),
    ).toEqual({
      Image: 'i',
      Cmd: ['sleep', '60'],
      Labels: { 'lab.kind': 'probe' },
      HostConfig: { NetworkMode: 'container:3f4e5d6c7b8a', AutoRemove: true },
    });
  });

  it('parses port publications and refuses nonsense', () => {
    expect(parsePublish('8080:80')).toEqual({ hostPort: 8080, containerPort: 80, protocol: 'tcp' });
    expect(parsePublish('8080:80/udp').protocol).toBe('udp');
    for (const bad of ['80', '8080:', ':80', '70000:80', '8080:0', '8080:80/icmp', 'a:b']) {
      expect(() => parsePublish(bad)).toThrow(LabError);
    }
  });
});
