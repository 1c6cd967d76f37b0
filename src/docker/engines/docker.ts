/** Docker Engine: the engine of the seed. Everything lab knows about hosts was first learnt here. */
import type { EngineProfile } from './engine-profile.js';

export const DOCKER_ENGINE: EngineProfile = {
  kind: 'docker',
  product: 'Docker',
  bridgeInterfaces: 'br-<network id> (docker0 for the default bridge)',
  containerDns: "Docker's embedded DNS at 127.0.0.11",
  natChain: (_table, chain) => ({ chain, followJumps: false }),
  portProcess: (process) => ({ process }),
  accepts: () => undefined,
  networkOptions: () => ({}),
  // "network with name x already exists" / "Conflict. The container name … is already in use".
  isNameConflict: (status) => status === 409,
  defaultNetworkName: async () => 'bridge',
  completeNetworks: async (networks) => networks,
  completeContainer: (container) => container,
};
