import type { DockerdConfigInput } from '../host/dockerd-config.js';
import { renderDockerdConfig } from '../host/dockerd-config.js';
import type { HostLayout } from '../layout.js';
import type { EngineSpec } from './spec.js';

/**
 * How one host's engine daemon is started: its argv and its config file. The machine's own dockerd
 * is one; each engine kind of `--engine` makes its own (one file per kind in this folder).
 */
export interface HostEngine {
  /** What was asked with --engine; absent for the machine's own dockerd. */
  spec?: EngineSpec;
  /** The daemon's argv, its absolute program path first; started inside the host. */
  daemonArgv(files: HostLayout): string[];
  /** The text of the daemon's config file (files.dockerdConfig unless configFile says otherwise). */
  daemonConfig(input: DockerdConfigInput): string;
  /** Where the config goes, when not files.dockerdConfig (podman's containers.conf). */
  configFile?(files: HostLayout): string;
  /** The engine's socket inside the host, when not IN_HOST.dockerSocket (podman's /run/podman/podman.sock). */
  socketInHost?: string;
}

/** The machine's own dockerd (docker.io of the machine's release), as every host ran it so far. */
export function machineDockerd(dockerd: string): HostEngine {
  return {
    daemonArgv: (files) => [dockerd, '--config-file', files.dockerdConfig],
    daemonConfig: (input) => renderDockerdConfig(input),
  };
}
