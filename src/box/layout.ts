import { join } from 'node:path';

/** Where the box keeps its state on the machine's disk. The CLI edge may override it (--state-dir). */
export const DEFAULT_BOX_STATE_DIR = '/var/lib/lab-box';

/** A file only the box writes: its presence is what allows `down` to delete a state directory. */
export const STATE_DIR_MARKER = '.lab-box';

/**
 * The engines `--engine` fetched (extracted .deb files), inside the state directory: the one entry
 * `down` keeps, so that a box is fetched for once per machine (and `lab box install` can prefetch).
 */
export const ENGINE_CACHE = 'engine-cache';

/** Paths inside a host's own /run (a tmpfs in its mount namespace), as the host sees them. */
export const IN_HOST = {
  run: '/run',
  dockerSocket: '/run/docker.sock',
  dockerPidFile: '/run/docker.pid',
  dockerExecRoot: '/run/docker',
  /** Where the dockerd of exec root /run/docker keeps the pid of the containerd it runs. */
  containerdPidFile: '/run/docker/containerd/containerd.pid',
  sshdPidFile: '/run/sshd.pid',
  anchorReady: '/run/lab-box-anchor-ready',
  /** root's home: a tmpfs seeded from /etc/skel, like a fresh server's, not the machine's /root. */
  rootHome: '/root',
} as const;

/**
 * The box's login besides root, on every host: a user with passwordless sudo and access to the
 * Docker socket, as on servers where lab runs with `ansible_become=true`. It exists only inside the
 * hosts (their own copies of /etc/passwd and friends), never on the machine.
 */
export const BOX_LOGIN = {
  user: 'labuser',
  uid: 60500,
  home: '/run/home/labuser',
  /** The group of the Docker socket, made inside the hosts when the machine has none. */
  dockerGid: 60501,
} as const;

export interface HostLayout {
  dir: string;
  sshdConfig: string;
  hostKey: string;
  hostKeyPublic: string;
  dockerdConfig: string;
  /** dockerd 20.10 derives its ID from this key; the default (/etc/docker/key.json) would be shared. */
  dockerIdentityKey: string;
  dockerDataRoot: string;
  anchorLog: string;
  sshdLog: string;
  dockerdLog: string;
}

export interface BoxLayout {
  stateDir: string;
  marker: string;
  stateFile: string;
  inventory: string;
  knownHosts: string;
  clientKey: string;
  clientKeyPublic: string;
  authorizedKeys: string;
  imageTar: string;
  engineCache: string;
  host(name: string): HostLayout;
}

export function boxLayout(stateDir: string): BoxLayout {
  return {
    stateDir,
    marker: join(stateDir, STATE_DIR_MARKER),
    stateFile: join(stateDir, 'state.json'),
    inventory: join(stateDir, 'inventory.ini'),
    knownHosts: join(stateDir, 'known_hosts'),
    clientKey: join(stateDir, 'id_ed25519'),
    clientKeyPublic: join(stateDir, 'id_ed25519.pub'),
    authorizedKeys: join(stateDir, 'authorized_keys'),
    imageTar: join(stateDir, 'busybox-image.tar'),
    engineCache: join(stateDir, ENGINE_CACHE),
    host(name: string): HostLayout {
      const dir = join(stateDir, name);
      return {
        dir,
        sshdConfig: join(dir, 'sshd_config'),
        hostKey: join(dir, 'ssh_host_ed25519_key'),
        hostKeyPublic: join(dir, 'ssh_host_ed25519_key.pub'),
        dockerdConfig: join(dir, 'daemon.json'),
        dockerIdentityKey: join(dir, 'docker-identity.json'),
        dockerDataRoot: join(dir, 'docker'),
        anchorLog: join(dir, 'anchor.log'),
        sshdLog: join(dir, 'sshd.log'),
        dockerdLog: join(dir, 'dockerd.log'),
      };
    },
  };
}

/** The host's own filesystem (its /run) as the machine sees it: through the anchor's root. */
export function hostRoot(anchorPid: number): string {
  return `/proc/${anchorPid}/root`;
}

/** The host's Docker socket as the machine reaches it: through the anchor's view of the filesystem. */
export function machineSideSocket(
  anchorPid: number,
  inHost: string = IN_HOST.dockerSocket,
): string {
  return `${hostRoot(anchorPid)}${inHost}`;
}

/** The command prefix that runs a program inside a host: its network, mounts (/run) and hostname. */
export function nsenterPrefix(anchorPid: number): string[] {
  return ['nsenter', '-t', String(anchorPid), '--net', '--mount', '--uts', '--'];
}
