import { access, rm, writeFile } from 'node:fs/promises';
import { LabError, tail } from '../common/errors.js';
import { installCommand } from './prerequisites.js';
import type { Runner } from './system/runner.js';

/**
 * Debian's policy-rc.d hook: while it exits 101, package scripts start no services. docker.io's
 * postinst would otherwise start a dockerd in the machine's own namespace (where an init system lets
 * it); the box never uses that daemon, and a machine-wide one changes the machine's firewall.
 */
export const POLICY_RC_D = '/usr/sbin/policy-rc.d';
const POLICY_RC_D_SCRIPT =
  '#!/bin/sh\n# Written by `lab box install` for the duration of the install.\nexit 101\n';

export interface InstallOptions {
  /** Output of apt-get as it comes. */
  echo: (text: string) => void;
}

/** apt-get update && apt-get install -y …, non-interactively, with no services started. */
export async function installPrerequisites(runner: Runner, options: InstallOptions): Promise<void> {
  const command = installCommand();
  const ourPolicy = !(await access(POLICY_RC_D).then(
    () => true,
    () => false,
  ));
  if (ourPolicy) await writeFile(POLICY_RC_D, POLICY_RC_D_SCRIPT, { mode: 0o755 });
  try {
    const result = await runner.run(['sh', '-c', command], {
      env: { DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'a' },
      echo: options.echo,
    });
    if (result.exitCode !== 0) {
      throw new LabError('prerequisite', 'installing the box prerequisites failed', {
        command,
        exitCode: result.exitCode,
        stderrTail: tail(result.stderr || result.stdout),
      });
    }
  } finally {
    if (ourPolicy) await rm(POLICY_RC_D, { force: true });
  }
}
