/**
 * Expectation + what the probe saw → PASS, FAIL or ERROR. A probe that did not run is an ERROR,
 * whatever was expected: "no reply" is only ever a reply that did not come.
 */
import type { Expect } from './matrix-model.js';
import type { PortState, ProbeLine } from './probe-script.js';
import type { PortSpec } from '../common/port.js';

export type Outcome = 'pass' | 'fail' | 'error';

export interface Judged {
  outcome: Outcome;
  /** True: a reply came back; false: none did; undefined: the probe did not run. */
  reached?: boolean;
}

/**
 * For a port, "reached" is: TCP, the connection was accepted; UDP, the datagram was not refused.
 * UDP has no handshake, so silence is all a datagram that arrived can show: lab counts it as
 * reached and says so in the cell's words (a must-not-reach UDP port passes only when refused).
 */
export function judge(expect: Expect, line: ProbeLine | undefined, port?: PortSpec): Judged {
  if (!line || line.status === 'error') return { outcome: 'error' };
  const reached =
    port?.protocol === 'udp' && line.port !== undefined
      ? line.port === 'silent' || line.port === 'open'
      : line.status === 'reached';
  // Small packets pass, full-size ones do not: a must-reach pair that real traffic would not cross.
  if (reached && line.fullSize?.passed === false) return { outcome: 'fail', reached };
  return { outcome: reached === (expect === 'reach') ? 'pass' : 'fail', reached };
}

export type ProbeKind = 'ip' | 'name';

/** What was observed, in words, for reports. */
export function describeObservation(
  line: ProbeLine | undefined,
  kind: ProbeKind,
  port?: { spec: PortSpec; timeoutSeconds: number },
): string {
  if (!line) return 'no result: the probe script was cut short';
  if (line.status === 'error') return line.detail ?? 'the probe could not run';
  const tries = `${line.attempts} attempt${line.attempts === 1 ? '' : 's'}, ${line.durationMs} ms`;
  if (port && line.port)
    return `${portWords(line.port, port.spec, port.timeoutSeconds)} (${tries})`;
  const via = line.iface ? ` via ${line.iface}` : '';
  if (kind === 'name' && line.resolved === false) return `the name did not resolve (${tries})`;
  const resolved = kind === 'name' && line.resolved ? 'resolved; ' : '';
  const big = line.fullSize;
  // Sent once per path: to the first target on the same host and network.
  const to = big?.towards
    ? ` to ${big.towards} (the same path: same source interface, target host and network)`
    : '';
  if (line.status === 'reached' && big?.passed === false) {
    return `small packets pass, ${big.bytes}-byte packets do not: the path MTU is lower than the network's (${big.bytes}-byte packets with "don't fragment"${to} did not get there${via}, a small datagram right after did; ${tries})`;
  }
  const whole = !big
    ? ''
    : big.passed
      ? `; a ${big.bytes}-byte packet with "don't fragment"${to} got there too`
      : `; whether ${big.bytes}-byte packets get there could not be told (a full-size and a small datagram with "don't fragment"${to} got no answer that was conclusive: UDP dropped by a firewall, or ICMP errors held back), so the path MTU was not measured`;
  return line.status === 'reached'
    ? `${resolved}a reply came back${via}${whole} (${tries})`
    : `${resolved}no reply${via} (ping exit ${line.exitCode ?? '?'}; ${tries})`;
}

/** The port's state in the words of a person who knows TCP and UDP. */
export function portWords(state: PortState, spec: PortSpec, timeoutSeconds: number): string {
  const within = `within ${timeoutSeconds} s`;
  if (spec.protocol === 'tcp') {
    switch (state) {
      case 'open':
        return `connected to ${spec.port}/tcp`;
      case 'refused':
        return `refused: nothing listens on ${spec.port} (a TCP reset came back at once)`;
      case 'silent':
        return `no answer ${within}: filtered or dropped`;
      case 'unreach':
        return `unreachable: an ICMP error came back instead (no route, or a firewall that rejects ${spec.port}/tcp)`;
    }
  }
  switch (state) {
    case 'open':
      return `answered: a datagram came back from ${spec.port}/udp`;
    case 'refused':
      return `refused: nothing listens on ${spec.port}/udp (an ICMP "port unreachable" came back)`;
    case 'unreach':
      return `unreachable: an ICMP error came back (no route, or a firewall that rejects ${spec.port}/udp)`;
    default:
      return `not refused: no ICMP error ${within}; UDP sends no acknowledgement, so a listener that keeps quiet and a firewall that drops look the same, and only a refusal proves nothing gets there`;
  }
}
