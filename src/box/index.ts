/**
 * The box: N real "hosts" (network namespace + hostname + private /run, with their own sshd and
 * dockerd) on this one Linux machine. See docs/box.md. This is the module's public surface.
 */
export { boxUp, type UpRequest, type UpResult } from './up.js';
export { boxDown, type DownResult } from './down.js';
export { gatherStatus, type BoxStatus, type HostStatus } from './status.js';
export { renderStatus } from './status-text.js';
export { installPrerequisites } from './install.js';
export { installCommand, INSTALL_PACKAGES } from './prerequisites.js';
export { readBoxState, resolveBoxInventory, BOX_INVENTORY_ALIAS } from './box-state.js';
export { DEFAULT_BOX_STATE_DIR, machineSideSocket, nsenterPrefix } from './layout.js';
export type { BoxState, BoxHostState } from './state.js';
export { BOX_SCENARIO_VARS, BOX_IMAGE } from './scenario-vars.js';
export { DEFAULT_HOSTS, MAX_HOSTS, MIN_HOSTS, BOX_RANGE } from './network/address-plan.js';
export { realBoxSystem, type RealSystemOptions } from './system/real-system.js';
export type { BoxSystem } from './system/system.js';
export { networkTools } from './system/tools.js';
export { killEngine, killSshd, startEngine, startSshdAgain } from './host/engine-restart.js';
export { prefetchEngines } from './engine/prepare.js';
