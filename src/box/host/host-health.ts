/** The facts about one host that decide whether it is healthy. Pure, so the rules are unit-tested. */
export interface HostFacts {
  netnsPresent: boolean;
  anchorAlive: boolean;
  sshdAlive: boolean;
  sshdAnswering: boolean;
  dockerdAlive: boolean;
  dockerdAnswering: boolean;
  imagePresent: boolean;
  /** Admin state of eth0: "UP", "DOWN" or "missing". */
  eth0: string;
}

export function hostProblems(facts: HostFacts): string[] {
  const problems: string[] = [];
  if (!facts.netnsPresent) problems.push('network namespace missing');
  if (!facts.anchorAlive) problems.push('namespace anchor not running');
  if (!facts.sshdAlive) problems.push('sshd not running');
  else if (!facts.sshdAnswering) problems.push('sshd does not answer on port 22');
  if (!facts.dockerdAlive) problems.push('dockerd not running');
  else if (!facts.dockerdAnswering) problems.push('dockerd does not answer');
  else if (!facts.imagePresent) problems.push('image lab/busybox:latest missing');
  if (facts.netnsPresent && facts.eth0 !== 'UP') problems.push(`eth0 is ${facts.eth0}`);
  return problems;
}
