/**
 * Where src/ssh and src/docker report what a user may want to know (a host key added) or what helps
 * debugging (connect timings). The CLI decides where lines go; nothing here writes to a terminal.
 * Lines never contain secrets: no key material, no passphrases, no command stdin.
 */
export interface SshLogger {
  debug(message: string): void;
  warn(message: string): void;
}
