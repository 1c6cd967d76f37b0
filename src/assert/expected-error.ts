/**
 * `fails:` — an operation Docker must refuse, with an error message matching a pattern (the seed's
 * `--ip` on the default bridge, a second macvlan network on one parent). lab really attempts it,
 * through the Engine API like any step, and whatever it makes on the way (a container created before
 * its start is refused) or by unexpectedly succeeding is removed again at once. It carries lab's
 * labels as well, so a crash in between still leaves it to `lab down`.
 */
import type { Labels } from '../docker/docker-client.js';
import { DEFAULT_BRIDGE } from '../docker/bridge.js';
import type { Refusal } from '../docker/engines/index.js';
import { dockerStatusOf } from '../docker/docker-errors.js';
import { errorText } from '../common/errors.js';
import { isOwnedBy, LABEL } from '../plan/labels.js';
import { stepCommands } from '../plan/commands.js';
import type { FailingOp } from '../scenario/model-assert.js';
import type { HostSession } from '../host/session.js';
import { quoteCommand } from '../ssh/quote.js';
import { judged, type AssertContext } from './context.js';
import { addressOn } from './lookup.js';
import type { AssertionResult, PlannedAssertion } from '../plan/assertion-model.js';

type FailsAssertion = Extract<PlannedAssertion, { kind: 'fails' }>;

/** The Engine's refusal: its status and own words. Undefined when the Engine never answered. */
export function refusalOf(err: unknown): { status: number; message: string } | undefined {
  const status = dockerStatusOf(err);
  if (status === undefined) return undefined;
  const text = errorText(err);
  const m = /HTTP \d{3}: ([\s\S]*)$/.exec(text);
  return { status, message: (m?.[1] ?? text).trim() };
}

/** The operation as a person would type it, addresses filled in. */
export function opCommand(
  op: FailingOp,
  labels: Labels,
  addresses: (string | undefined)[],
): string {
  switch (op.op) {
    case 'run':
      return stepCommands({
        kind: 'container',
        id: '',
        host: '',
        dependsOn: [],
        name: op.name,
        image: op.image,
        ...(op.command && { command: op.command }),
        networks: op.networks.map((n, i) => ({
          network: n.network,
          ...(addresses[i] !== undefined && { ipv4: addresses[i] }),
        })),
        ...(op.publish && { publish: op.publish }),
        labels,
      }).join(' && ');
    case 'create_network':
      return stepCommands({
        kind: 'network',
        id: '',
        host: '',
        dependsOn: [],
        name: op.network.name,
        driver: op.network.driver,
        ...(op.network.subnet !== undefined && { subnet: op.network.subnet }),
        ...(op.network.gateway !== undefined && { gateway: op.network.gateway }),
        options: {
          ...op.network.options,
          ...(op.network.parent !== undefined && { parent: op.network.parent }),
        },
        ...(op.network.attachable !== undefined && { attachable: op.network.attachable }),
        ...(op.network.internal !== undefined && { internal: op.network.internal }),
        labels,
      }).join(' && ');
    case 'connect':
      return quoteCommand([
        'docker',
        'network',
        'connect',
        ...(addresses[0] !== undefined ? ['--ip', addresses[0]] : []),
        op.network,
        op.container,
      ]);
  }
}

/** Which of the seed's refusals an operation tries, when it is one some engines do not make. */
export function refusalKind(op: FailingOp): Refusal | undefined {
  switch (op.op) {
    case 'run':
      return op.networks.some(
        (n) => n.network === DEFAULT_BRIDGE && ('ipv4' in n || 'hostNumber' in n),
      )
        ? 'static-ip-on-default-network'
        : undefined;
    case 'connect':
      return op.network === DEFAULT_BRIDGE && op.address
        ? 'static-ip-on-default-network'
        : undefined;
    case 'create_network':
      return op.network.driver === 'macvlan' ? 'second-macvlan-on-parent' : undefined;
  }
}

/** What an operation left behind, for the evidence; the cleanup itself never fails the claim. */
type Attempt = { refused?: unknown; made: string[] };

async function attempt(
  session: HostSession,
  op: FailingOp,
  labels: Labels,
  addresses: (string | undefined)[],
): Promise<Attempt> {
  const d = session.docker;
  const made: string[] = [];
  try {
    switch (op.op) {
      case 'run': {
        const [first, ...rest] = op.networks;
        await d.createContainer({
          name: op.name,
          image: op.image,
          hostname: op.name,
          ...(op.command ? { command: op.command } : { interactive: true }),
          labels,
          ...(first && {
            network: {
              name: first.network,
              ...(addresses[0] !== undefined && { ipv4: addresses[0] }),
            },
          }),
          ...(op.publish && { publish: op.publish }),
        });
        made.push(`container ${op.name}`);
        for (const [i, n] of rest.entries())
          await d.connectNetwork(n.network, op.name, addresses[i + 1]);
        await d.startContainer(op.name);
        return { made };
      }
      case 'create_network': {
        const n = op.network;
        await d.createNetwork({
          name: n.name,
          driver: n.driver,
          ...(n.subnet !== undefined && { subnet: n.subnet }),
          ...(n.gateway !== undefined && { gateway: n.gateway }),
          options: { ...n.options, ...(n.parent !== undefined && { parent: n.parent }) },
          labels,
          ...(n.attachable !== undefined && { attachable: n.attachable }),
          ...(n.internal !== undefined && { internal: n.internal }),
        });
        made.push(`network ${n.name}`);
        return { made };
      }
      case 'connect':
        await d.connectNetwork(op.network, op.container, addresses[0]);
        made.push(`${op.container}'s interface on ${op.network}`);
        return { made };
    }
  } catch (refused) {
    return { refused, made };
  }
}

/** Removes what the attempt made (containers and networks only if they carry our labels). */
async function undo(session: HostSession, op: FailingOp, scenario: string): Promise<void> {
  const d = session.docker;
  if (op.op === 'run') {
    const c = await d.inspectContainer(op.name);
    if (c && isOwnedBy(c.labels, scenario)) await d.removeContainer(c.id);
  } else if (op.op === 'create_network') {
    const n = await d.inspectNetwork(op.network.name);
    if (n && isOwnedBy(n.labels, scenario)) await d.removeNetwork(n.id);
  } else {
    const c = await d.inspectContainer(op.container);
    if (c?.networks[op.network]) await d.disconnectNetwork(op.network, op.container);
  }
}

/** Something already holds the name: ours from an earlier crash goes, anyone else's is an error. */
async function clearLeftover(session: HostSession, op: FailingOp, labels: Labels): Promise<void> {
  const scenario = labels[LABEL.scenario] ?? '';
  const d = session.docker;
  if (op.op === 'connect') return;
  const name = op.op === 'run' ? op.name : op.network.name;
  const existing = op.op === 'run' ? await d.inspectContainer(name) : await d.inspectNetwork(name);
  if (!existing) return;
  if (isOwnedBy(existing.labels, scenario) && existing.labels[LABEL.kind] === labels[LABEL.kind]) {
    await undo(session, op, scenario);
    return;
  }
  throw new Error(
    `a ${op.op === 'run' ? 'container' : 'network'} named ${name} already exists on ${session.host}; the operation would fail for that reason alone`,
  );
}

export async function checkFails(a: FailsAssertion, ctx: AssertContext): Promise<AssertionResult> {
  const started = ctx.now();
  const scenario = a.labels[LABEL.scenario] ?? '';
  let command = opCommand(a.op, a.labels, []);
  let engine = 'Docker';
  const claim = () =>
    `on ${a.host}, ${engine} refuses \`${command}\` with a message matching /${a.message}/`;
  try {
    const session = ctx.session(a.host);
    engine = session.docker.engine.product;
    const addresses =
      a.op.op === 'run'
        ? await Promise.all(
            a.op.networks.map((n) =>
              'ipv4' in n || 'hostNumber' in n
                ? addressOn(session, n.network, n as Parameters<typeof addressOn>[2])
                : undefined,
            ),
          )
        : a.op.op === 'connect' && a.op.address
          ? [await addressOn(session, a.op.network, a.op.address)]
          : [];
    command = opCommand(a.op, a.labels, addresses);
    await clearLeftover(session, a.op, a.labels);
    const tried = await attempt(session, a.op, a.labels, addresses);
    await undo(session, a.op, scenario).catch(() => undefined);
    const cleaned = tried.made.length > 0 ? ` (lab removed ${tried.made.join(' and ')} again)` : '';
    if (tried.refused === undefined) {
      const kind = refusalKind(a.op);
      const difference = kind && session.docker.engine.accepts(kind);
      // An engine known to accept it (Podman) differs from the seed; it does not break the claim.
      if (difference) {
        return judged(ctx, a, started, 'pass', {
          claim: `on ${a.host}, the seed’s Docker refuses \`${command}\` with a message matching /${a.message}/`,
          evidence: `${engine} accepted it${cleaned}`,
          command,
          difference,
        });
      }
      return judged(ctx, a, started, 'fail', {
        claim: claim(),
        evidence: `${engine} accepted it${cleaned}`,
        command,
      });
    }
    const refusal = refusalOf(tried.refused);
    if (!refusal) {
      return judged(ctx, a, started, 'error', {
        claim: claim(),
        evidence: `no answer from ${engine}: ${errorText(tried.refused)}${cleaned}`,
        command,
      });
    }
    const matches = new RegExp(a.message, 'i').test(refusal.message);
    return judged(ctx, a, started, matches ? 'pass' : 'fail', {
      claim: claim(),
      evidence: `${matches ? `${engine} refused it` : `${engine} refused it, but with another message`}: "${refusal.message}" (HTTP ${refusal.status})${cleaned}`,
      command,
      output: `Error response from daemon: ${refusal.message}`,
    });
  } catch (err) {
    return judged(ctx, a, started, 'error', { claim: claim(), evidence: errorText(err), command });
  }
}
