#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).

import { setMaxListeners } from 'node:events';

// A closed pipe (`lab plan … | head`) ends output quietly instead of with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// The first Ctrl-C asks lab to stop starting new work and say how to clean up; a second one quits.
// Once the verdict is out, a Ctrl-C changes nothing: the exit code is the verdict's.
const interrupt = new AbortController();
// Every concurrent piece of work (a prober per source, a handshake per host) listens to this one
// signal and lets go when done: dozens at once is the design, not a leak, so Node's warning past 10
// (printed on stderr as "Possible EventTarget memory leak") would be a false claim.
setMaxListeners(0, interrupt.signal);
let finished = false;
process.on('SIGINT', () => {
  if (finished) return;
  if (interrupt.signal.aborted) process.exit(130);
  process.stderr.write(
    '\nlab: interrupted; letting running steps finish (Ctrl-C again to quit now)\n',
  );
  interrupt.abort();
});

// Loaded after the Ctrl-C handler is in place: a Ctrl-C during start-up is handled like any other.
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: interrupt.signal,
});
finished = true;

// Always ended by process.exit once the output is written, never by the event loop running dry:
// - after a Ctrl-C, work that was given up on (a handshake, a removal still running on a closed
//   connection) must not keep the process alive past the promised second;
// - a process Node lets end by itself closes its signal handles first, which puts SIGINT back to
//   its default, so a Ctrl-C in that last moment killed lab by the signal (no exit code) after it
//   had printed a clean verdict. process.exit keeps the handler to the end.
process.stdout.write('', () => process.stderr.write('', () => process.exit(process.exitCode)));
