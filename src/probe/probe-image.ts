/**
 * The probers' image when neither the flag nor the inventory names one: busybox has every tool the
 * probe script uses. A module of its own so that the CLI's help can name it without loading the
 * probing code.
 */
export const DEFAULT_PROBE_IMAGE = 'busybox:latest';
