/** The scenario module's public surface: load a file, resolve it against an inventory, find files. */
export type * from './model.js';
export type { ScenarioDocument } from './document.js';
export { loadScenarioFile, parseScenario } from './load.js';
export { resolveScenario } from './resolve.js';
export { findScenario, listScenarios, type ScenarioSummary } from './find.js';
