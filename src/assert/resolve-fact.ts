/**
 * `resolves:` / `not_resolves:` — name resolution inside a container, with the container's own
 * resolver: Docker's embedded DNS (127.0.0.11) on user-defined networks knows the containers there;
 * on the default bridge the host's resolver is used, which knows no container names.
 *
 * A name that must resolve is tried again until the wait runs out (on overlay networks, names spread
 * between hosts a moment after a container starts); a name that must not resolve gets one try, so a
 * slow resolver can never pass for "no resolution".
 */
import { pollUntil } from '../common/clock.js';
import { errorText } from '../common/errors.js';
import { judged, type AssertContext } from './context.js';
import type { AssertionResult, PlannedAssertion } from '../plan/assertion-model.js';
import { parseNslookup } from './nslookup.js';
import { unresolvedDifference } from './unresolved-name.js';

type ResolveAssertion = Extract<PlannedAssertion, { kind: 'resolves' }>;

async function targetAddresses(a: ResolveAssertion, ctx: AssertContext): Promise<string[]> {
  if (!a.target) return [];
  const info = await ctx.session(a.target.host).docker.inspectContainer(a.target.container);
  return Object.values(info?.networks ?? {}).flatMap((n) => (n.ipv4 ? [n.ipv4] : []));
}

export async function checkResolve(
  a: ResolveAssertion,
  ctx: AssertContext,
): Promise<AssertionResult> {
  const started = ctx.now();
  const session = ctx.session(a.host);
  const command = `docker exec ${a.container} nslookup ${a.name}${a.ping ? `; docker exec ${a.container} ping -c 1 -W 1 ${a.name}` : ''}`;
  const claim = a.resolve
    ? `${a.name} resolves in ${a.container}${a.target ? ` to an address of ${a.target.container}` : ''}${a.ping ? ', and a ping by that name is answered' : ''}`
    : `${a.name} does not resolve in ${a.container}`;
  try {
    const expected = await targetAddresses(a, ctx);
    let attempts = 0;
    let output = '';
    let found: string[] = [];
    let ping: { ok: boolean; output: string } | undefined;
    // The wait counts from the start of the check, the target's addresses read included.
    await pollUntil(ctx, ctx.options.waitMs - (ctx.now() - started), 300, async () => {
      attempts++;
      const r = await session.docker.exec(a.container, ['nslookup', a.name], {
        timeoutMs: ctx.options.timeoutMs,
      });
      if (r.exitCode === null || r.exitCode >= 126) {
        throw new Error(
          `nslookup could not run in ${a.container} (exit ${r.exitCode ?? 'none'}${r.timedOut ? ', timed out' : ''}): ${(r.stderr || r.stdout).trim()}`,
        );
      }
      output = `${r.stdout}${r.stderr}`.trim();
      found = r.exitCode === 0 ? parseNslookup(r.stdout) : [];
      const right =
        found.length > 0 && (expected.length === 0 || found.some((x) => expected.includes(x)));
      if (right && a.ping) {
        const p = await session.docker.exec(a.container, ['ping', '-c', '1', '-W', '1', a.name], {
          timeoutMs: ctx.options.timeoutMs,
        });
        ping = { ok: p.exitCode === 0, output: `${p.stdout}${p.stderr}`.trim() };
      }
      const done = !a.resolve || (right && (!a.ping || ping?.ok === true));
      return done ? true : undefined;
    });
    const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
    const wrong =
      found.length > 0 && expected.length > 0 && !found.some((x) => expected.includes(x));
    let outcome: 'pass' | 'fail' | 'differs';
    let evidence: string;
    let difference: string | undefined;
    if (found.length === 0) {
      // Where the engine's name server works otherwise than Docker's (Podman), it says how.
      const sameHost = a.target?.host === a.host ? a.target.container : undefined;
      if (a.resolve)
        difference = await unresolvedDifference(
          session,
          a.container,
          sameHost,
          ctx.options.timeoutMs,
        );
      outcome = !a.resolve ? 'pass' : difference ? 'differs' : 'fail';
      evidence = `${a.name} did not resolve (${tries})`;
    } else if (wrong) {
      outcome = 'fail';
      evidence = `${a.name} resolved to ${found.join(', ')}, not to ${a.target?.container}'s ${expected.join(', ')}`;
    } else {
      outcome = !a.resolve ? 'fail' : a.ping && !ping?.ok ? 'fail' : 'pass';
      evidence = `${a.name} resolved to ${found.join(', ')}${ping ? (ping.ok ? '; the ping by name was answered' : '; the ping by name got no reply') : ''} (${tries})`;
    }
    return judged(ctx, a, started, outcome, {
      claim,
      evidence,
      command,
      output: `${output}${ping ? `\n${ping.output}` : ''}`,
      difference,
    });
  } catch (err) {
    return judged(ctx, a, started, 'error', { claim, evidence: errorText(err), command });
  }
}
