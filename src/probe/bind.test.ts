import { describe, expect, it } from 'vitest';
import { bindingOf, chooseEndpoint, endpointsOf } from './bind.js';

const a = { network: 'mac_net1', ipv4: '198.19.1.10', prefixLength: 24, mac: '02:42:00:00:00:0a' };
const b = { network: 'br', ipv4: '198.19.21.10', prefixLength: 24 };

describe('chooseEndpoint', () => {
  it("the target's network first, then the subnet holding the address, then the only one", () => {
    expect(chooseEndpoint([a, b], { network: 'br', address: '198.19.1.99' })).toBe(b);
    expect(chooseEndpoint([a, b], { address: '198.19.1.99' })).toBe(a);
    expect(chooseEndpoint([a, b], { address: '198.18.0.1' })).toBeUndefined();
    expect(chooseEndpoint([a], { address: '198.18.0.1' })).toBe(a);
    expect(chooseEndpoint([], { network: 'x' })).toBeUndefined();
  });

  it('binds by MAC (found in the namespace at run time) and by address as a fallback', () => {
    expect(bindingOf(a)).toEqual({ bindMac: '02:42:00:00:00:0a', bindIp: '198.19.1.10' });
    expect(bindingOf(b)).toEqual({ bindIp: '198.19.21.10' });
    expect(bindingOf(undefined)).toEqual({});
  });

  it('leaves an overlay container to its routes for addresses outside the overlay', () => {
    // As Docker reports a container on an attachable overlay: no gateway, since its way out is
    // docker_gwbridge, which Docker does not list as one of its networks.
    const [ov] = endpointsOf({
      networks: { ov_net1: { ipv4: '198.19.30.10', prefixLength: 24, mac: '02:42:c6:13:1e:0a' } },
    });
    expect(ov).toMatchObject({ network: 'ov_net1', noGateway: true });
    expect(chooseEndpoint([ov!], { address: '198.18.0.1' })).toBeUndefined();
    expect(chooseEndpoint([ov!], { address: '198.19.30.11' })).toBe(ov);
    expect(chooseEndpoint([ov!], { network: 'ov_net1', address: '198.19.30.1' })).toBe(ov);
    const [mac] = endpointsOf({
      networks: { mac_net1: { ipv4: '198.19.1.10', prefixLength: 24, gateway: '198.19.1.1' } },
    });
    expect(mac).not.toHaveProperty('noGateway');
  });
});
