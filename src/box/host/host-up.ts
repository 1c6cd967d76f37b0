import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LabError } from '../../common/errors.js';
import { startAnchor } from '../anchor.js';
import { IMAGE_CHANGES } from '../image/busybox-image.js';
import type { HostEngine } from '../engine/host-engine.js';
import { startDockerd, startSshd, type HostContext } from './host-daemons.js';
import { boxLayout, IN_HOST, machineSideSocket, nsenterPrefix } from '../layout.js';
import { netnsPath } from '../network/network.js';
import type { Programs } from '../prerequisites.js';
import { BOX_IMAGE } from '../scenario-vars.js';
import { settleAll } from '../system/settle.js';
import { renderSshdConfig } from './sshd-config.js';
import type { BoxHostState, ProcessRef } from '../state.js';
import type { BoxSystem } from '../system/system.js';
import type { HostPlan } from '../network/topology.js';

/**
 * One host, once the network, its cgroup and its host key exist: configs, the anchor, then sshd and
 * dockerd side by side; the image goes in as soon as dockerd answers (and the tar is built).
 */
export async function bringUpHost(
  sys: BoxSystem,
  programs: Programs,
  stateDir: string,
  host: HostPlan,
  cgroupProcsFile: string,
  hostKeyPublic: string,
  image: Promise<void>,
  engine: HostEngine,
  hardened = false,
): Promise<BoxHostState> {
  const layout = boxLayout(stateDir);
  const files = layout.host(host.name);
  await writeHostConfigs(host, layout.authorizedKeys, files, engine, hardened);
  const anchor = await startAnchor(
    sys,
    programs,
    {
      host: host.name,
      netnsPath: netnsPath(host.netns),
      authorizedKeys: layout.authorizedKeys,
      hardened,
    },
    cgroupProcsFile,
    files.anchorLog,
  );
  const ctx: HostContext = {
    host: host.name,
    address: host.address,
    anchor,
    cgroupProcsFile,
    layout: files,
    ...(host.behind !== undefined && { behind: host.behind }),
  };
  const socketInHost = engine.socketInHost ?? IN_HOST.dockerSocket;
  const socket = machineSideSocket(anchor.pid, socketInHost);
  const [sshd, dockerd] = await settleAll<[ProcessRef, ProcessRef]>([
    startSshd(sys, programs, ctx),
    (async () => {
      const ref = await startDockerd(sys, programs, ctx, socket, engine.daemonArgv(files));
      await image;
      await sys.engine.importImage(socket, layout.imageTar, BOX_IMAGE, IMAGE_CHANGES);
      return ref;
    })(),
  ]);
  const [info, version] = await Promise.all([sys.engine.info(socket), sys.engine.version(socket)]);
  if (info.name !== host.name) {
    throw new LabError(
      'remote',
      `${host.name}: dockerd calls its host "${info.name}", not ${host.name}`,
      {
        host: host.name,
        hint: 'dockerd must run in the anchor’s UTS namespace (nsenter --uts)',
      },
    );
  }
  return {
    index: host.index,
    name: host.name,
    netns: host.netns,
    cgroup: host.cgroup,
    address: host.address,
    dir: files.dir,
    interfaces: host.interfaces,
    docker: host.docker,
    anchor,
    sshd,
    dockerd,
    dockerSocket: socket,
    dockerSocketInHost: socketInHost,
    nsenter: nsenterPrefix(anchor.pid),
    hostKeyPublic,
    dockerId: info.id,
    dockerVersion: version.version,
    ...(host.behind !== undefined && { behind: host.behind }),
    ...(engine.spec !== undefined && { engine: engine.spec }),
    ...(hardened && { hardened }),
  };
}

/** The host's sshd and dockerd configs, written side by side. */
async function writeHostConfigs(
  host: HostPlan,
  authorizedKeys: string,
  files: ReturnType<ReturnType<typeof boxLayout>['host']>,
  engine: HostEngine,
  hardened: boolean,
): Promise<void> {
  const configFile = engine.configFile?.(files) ?? files.dockerdConfig;
  await mkdir(dirname(configFile), { recursive: true, mode: 0o700 });
  await Promise.all([
    writeFile(
      files.sshdConfig,
      renderSshdConfig({
        host: host.name,
        listenAddress: host.address,
        hostKey: files.hostKey,
        authorizedKeys,
        hardened,
      }),
      { mode: 0o600 },
    ),
    writeFile(
      configFile,
      engine.daemonConfig({
        dataRoot: files.dockerDataRoot,
        identityKey: files.dockerIdentityKey,
        cgroupParent: host.cgroup,
        addresses: host.docker,
      }),
      { mode: 0o600 },
    ),
  ]);
}
