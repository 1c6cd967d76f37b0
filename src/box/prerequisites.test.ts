import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import {
  installCommand,
  judgePrerequisites,
  REQUIRED_PROGRAMS,
  type Programs,
} from './prerequisites.js';

const all = Object.fromEntries(
  Object.keys(REQUIRED_PROGRAMS).map((name) => [name, `/usr/bin/${name}`]),
) as Programs;

describe('prerequisites', () => {
  it('passes with root and every program', () => {
    expect(judgePrerequisites({ isRoot: true, found: all, busyboxIsStatic: true })).toEqual(all);
  });

  it('lists everything that is wrong in ONE error, with the install command', () => {
    const { dockerd: _d, sshd: _s, nsenter: _n, ...found } = all;
    let error: unknown;
    try {
      judgePrerequisites({ isRoot: false, found, busyboxIsStatic: true });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LabError);
    const labError = error as LabError;
    expect(labError.kind).toBe('prerequisite');
    expect(labError.message).toMatch(/not root/);
    expect(labError.message).toMatch(/missing programs: dockerd, sshd, nsenter/);
    expect(labError.context.hint).toContain(
      'apt-get update && apt-get install -y docker.io openssh-server busybox-static iproute2 iptables sudo podman util-linux',
    );
  });

  it('refuses a dynamically linked busybox', () => {
    expect(() => judgePrerequisites({ isRoot: true, found: all, busyboxIsStatic: false })).toThrow(
      /dynamically linked/,
    );
  });

  it('installs with apt-get, exactly these packages', () => {
    expect(installCommand()).toBe(
      'apt-get update && apt-get install -y docker.io openssh-server busybox-static iproute2 iptables sudo podman',
    );
  });
});
