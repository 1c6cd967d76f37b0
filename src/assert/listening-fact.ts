/** `listening:` — a port the host listens on, and optionally which process holds it (docker-proxy). */
import { errorText } from '../common/errors.js';
import { requireSuccess } from '../ssh/checked.js';
import { quoteCommand } from '../ssh/quote.js';
import { judged, type AssertContext } from './context.js';
import { describeSocket, parseListening } from './listening-sockets.js';
import type { AssertionResult, PlannedAssertion } from '../plan/assertion-model.js';

type ListeningAssertion = Extract<PlannedAssertion, { kind: 'listening' }>;

export async function checkListening(
  a: ListeningAssertion,
  ctx: AssertContext,
): Promise<AssertionResult> {
  const started = ctx.now();
  const argv = ['ss', a.protocol === 'udp' ? '-lunp' : '-ltnp'];
  const command = quoteCommand(argv);
  const claim = `${a.host} listens on ${a.protocol} port ${a.port}${a.process ? ` (process ${a.process})` : ''}`;
  try {
    const session = ctx.session(a.host);
    // The engine may hold published ports with another process (Podman: conmon).
    const heldBy = a.process ? session.docker.engine.portProcess(a.process) : undefined;
    // The claim stays the seed's (docker-proxy); holding it with conmon is the difference, said apart.
    const process = heldBy?.process;
    // Processes are shown to root only.
    const r = await session.shell.exec(argv, { become: true, timeoutMs: ctx.options.timeoutMs });
    requireSuccess(a.host, command, r, `${command} failed on ${a.host}`);
    const onPort = parseListening(r.stdout).filter((s) => s.port === a.port);
    const held = process
      ? onPort.filter((s) => s.processes.some((p) => p.name === process))
      : onPort;
    const evidence =
      held.length > 0
        ? `listening: ${held.map(describeSocket).join('; ')}`
        : onPort.length > 0
          ? `port ${a.port} is held by another process: ${onPort.map(describeSocket).join('; ')}`
          : `nothing listens on ${a.protocol} port ${a.port}`;
    return judged(ctx, a, started, held.length > 0 ? 'pass' : 'fail', {
      claim,
      evidence,
      command,
      output: r.stdout.trim(),
      difference: heldBy?.note,
    });
  } catch (err) {
    return judged(ctx, a, started, 'error', { claim, evidence: errorText(err), command });
  }
}
