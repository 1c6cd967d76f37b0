import type { HostPlan, Plan, PlannedCheck } from './model.js';
import { checkCommand, stepCommands } from './commands.js';
import { commentText } from '../ssh/quote.js';

/** The plan as a person would read it (`lab plan`): each host's commands, then the checks. */
export function renderHostPlan(hostPlan: HostPlan): string {
  const lines = [
    `# ${commentText(`${hostPlan.host} (${hostPlan.target.user ? `${hostPlan.target.user}@` : ''}${hostPlan.target.address}:${hostPlan.target.port})`)}`,
  ];
  for (const step of hostPlan.steps) lines.push(...stepCommands(step));
  return lines.join('\n');
}

export function renderPlan(plan: Plan): string {
  const sections = [
    `# ${commentText(`lab plan: scenario ${plan.scenario}, inventory ${plan.inventory}`)}`,
  ];
  for (const h of plan.hosts) sections.push(renderHostPlan(h));
  if (plan.checks.length > 0) {
    const byHost = new Map<string, PlannedCheck[]>();
    for (const c of plan.checks) byHost.set(c.from.host, [...(byHost.get(c.from.host) ?? []), c]);
    const lines = ['# checks, all at once'];
    for (const [host, checks] of byHost) {
      lines.push(`## on ${commentText(host)}`);
      for (const c of checks) {
        lines.push(
          `${checkCommand(c)}    # ${commentText(`must ${c.expect === 'reach' ? 'reach' : 'NOT reach'} ${c.to.label}: ${c.reason}`)}`,
        );
      }
    }
    sections.push(lines.join('\n'));
  }
  return `${sections.join('\n\n')}\n`;
}
