import { spawn } from 'node:child_process';
import type { InteractiveChannel } from '../../src/ssh/command-pipe.js';

/** An InteractiveChannel over a local `sh`: the pipe's protocol meets a real shell in unit tests. */
export function localShellChannel(env?: NodeJS.ProcessEnv): InteractiveChannel {
  const child = spawn('sh', [], { stdio: ['pipe', 'pipe', 'pipe'], ...(env && { env }) });
  return {
    write: (text) => void child.stdin.write(text),
    onStdout: (l) => void child.stdout.on('data', l),
    onStderr: (l) => void child.stderr.on('data', l),
    onEnd: (l) => void child.on('exit', () => l()),
    kill: () => void child.kill('SIGKILL'),
  };
}
