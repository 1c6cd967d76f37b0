/**
 * Assertions as planned (one per host they are checked on) and as judged. An assertion is a claim
 * beyond ping, reported like a check: PASS (holds), FAIL (the host shows otherwise), ERROR (it could
 * not be checked), always with what was seen.
 */
import type { Labels } from '../docker/docker-client.js';
import type {
  FailingOp,
  InterfaceFacts,
  NetworkFacts,
  RuleSpec,
  SeedClaim,
} from '../scenario/model-assert.js';
import type { ClaimOutcome } from './claim-outcome.js';

interface PlannedBase {
  /** "assert-3", or "assert-3@server2" when one assertion is checked on several hosts. */
  id: string;
  /** Where it is checked (for http: the host asked; for resolves: the source container's host). */
  host: string;
  /** Steps that must be done first (any host's). */
  dependsOn: string[];
  reason: string;
  /** The seed's claim it checks (scenario `seed:`). */
  seed?: SeedClaim;
  line?: number;
}

export type PlannedAssertion = PlannedBase &
  (
    | {
        kind: 'fails';
        op: FailingOp;
        /** A regular expression the Engine's error message must match (case-insensitive). */
        message: string;
        /** On whatever the operation makes, should it succeed: found and removed by label. */
        labels: Labels;
      }
    | { kind: 'network'; network: string; has: NetworkFacts }
    | {
        kind: 'interface';
        container?: string;
        interface: { name: string } | { bridgeOf: string };
        has: InterfaceFacts;
      }
    | { kind: 'iptables'; table: string; chain?: string; rule: RuleSpec }
    | { kind: 'listening'; port: number; protocol: 'tcp' | 'udp'; process?: string }
    | {
        kind: 'http';
        /** The host's inventory address: the request goes from the machine running lab. */
        address: string;
        port: number;
        path: string;
        status: number;
        body?: string;
      }
    | {
        kind: 'resolves';
        container: string;
        name: string;
        resolve: boolean;
        ping: boolean;
        /** When the name is a container of the scenario: where to read its addresses. */
        target?: { container: string; host: string };
      }
  );

export type AssertionOutcome = ClaimOutcome;

export interface AssertionResult {
  assertion: PlannedAssertion;
  outcome: AssertionOutcome;
  /** The claim in words, with run-time values filled in ("my_net2 has subnet 198.19.20.0/24"). */
  claim: string;
  /** What was seen, in words. */
  evidence: string;
  /**
   * For a DIFFERS of the host's engine rather than of a `seed:` claim: how it does otherwise than the
   * seed's Docker (Podman's NETAVARK chains, conmon; what Podman accepts that Docker refuses), in words.
   */
  difference?: string;
  /** The command a person would type to see the same (on the host, or here for http). */
  command: string;
  /** The command's raw output, for transcripts. */
  output?: string;
  durationMs: number;
  /** For a claim of the seed or a difference: the engine release of the host it was checked on. */
  docker?: string;
  /** With `docker`: the engine's product when it is not Docker ("Podman"). */
  engine?: string;
}
