import { describe, expect, it } from 'vitest';
import { LabError } from '../../common/errors.js';
import { assertHostCount, dockerAddressPlan, hostAddress, inBoxRange } from './address-plan.js';
import { BOX_SCENARIO_VARS } from '../scenario-vars.js';

describe('address plan', () => {
  it('numbers hosts 198.18.0.i', () => {
    expect(hostAddress(1)).toBe('198.18.0.1');
    expect(hostAddress(8)).toBe('198.18.0.8');
  });

  it('gives each host its own /20 Docker slice inside 198.19.128.0/17', () => {
    expect(dockerAddressPlan(1)).toEqual({
      bip: '198.19.128.1/24',
      poolBase: '198.19.128.0/20',
      poolSize: 24,
    });
    expect(dockerAddressPlan(2).poolBase).toBe('198.19.144.0/20');
    expect(dockerAddressPlan(8)).toEqual({
      bip: '198.19.240.1/24',
      poolBase: '198.19.240.0/20',
      poolSize: 24,
    });
  });

  it('refuses host counts outside 1..8', () => {
    expect(() => assertHostCount(0)).toThrow(LabError);
    expect(() => assertHostCount(9)).toThrow(/1 to 8 hosts/);
    expect(() => assertHostCount(2.5)).toThrow(LabError);
    expect(() => assertHostCount(4)).not.toThrow();
  });

  it('knows what is inside 198.18.0.0/15', () => {
    expect(inBoxRange('198.18.0.1')).toBe(true);
    expect(inBoxRange('198.19.255.255')).toBe(true);
    expect(inBoxRange('198.19.128.0/20')).toBe(true);
    expect(inBoxRange('198.16.0.0/12')).toBe(false);
    expect(inBoxRange('172.17.0.1')).toBe(false);
    expect(inBoxRange('::1')).toBe(false);
    expect(inBoxRange('not an address')).toBe(false);
  });

  it('keeps every scenario address in the box range and out of the hosts LAN and Docker pools', () => {
    for (const [key, value] of Object.entries(BOX_SCENARIO_VARS)) {
      if (key === 'image') continue;
      expect(inBoxRange(value), key).toBe(true);
      if (key !== 'lab_outside_address') {
        expect(value.startsWith('198.19.'), key).toBe(true);
        expect(Number(value.split('.')[2]), key).toBeLessThan(128);
      }
    }
  });
});
