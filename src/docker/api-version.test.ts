import { describe, expect, it } from 'vitest';
import { compareApiVersions, MAX_API_VERSION, pickApiVersion } from './api-version.js';

describe('pickApiVersion', () => {
  it('speaks an old engine its own API', () => {
    expect(pickApiVersion({ apiVersion: '1.26' })).toBe('1.26'); // RHEL 7, Docker 1.13
    expect(pickApiVersion({ apiVersion: '1.41', minApiVersion: '1.12' })).toBe('1.41'); // Debian's 20.10
  });

  it('caps a new engine at our newest', () => {
    expect(pickApiVersion({ apiVersion: '1.51', minApiVersion: '1.24' })).toBe(MAX_API_VERSION);
  });

  it("rises to the server's minimum when our newest is too old for it", () => {
    expect(pickApiVersion({ apiVersion: '1.60', minApiVersion: '1.50' }, '1.47')).toBe('1.50');
  });

  it('gives up on engines older than Docker 1.13', () => {
    expect(pickApiVersion({ apiVersion: '1.24' })).toBeUndefined();
  });
});

describe('compareApiVersions', () => {
  it('compares numerically per part', () => {
    expect(compareApiVersions('1.41', '1.9')).toBe(1);
    expect(compareApiVersions('1.9', '1.41')).toBe(-1);
    expect(compareApiVersions('1.41', '1.41')).toBe(0);
  });
});
