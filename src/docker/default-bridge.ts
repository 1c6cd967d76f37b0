/** Docker's own default bridge: scenarios attach containers to it, never create or remove it. */
export const DEFAULT_BRIDGE = 'bridge';
