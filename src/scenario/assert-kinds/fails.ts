/** `fails:` an operation (run, create_network, connect) Docker must refuse, with a message. */
import { z } from 'zod';
import * as f from '../formats.js';
import { DRIVERS } from '../schema-helpers.js';
import type { Labels } from '../../docker/docker-client.js';
import { defineKind, type ResolveTools, type SourceOf } from './kind.js';
import type { FailingOp } from './refs.js';

/** lab.kind of whatever an operation that should have failed made: `lab down` removes it too. */
export const EXPECTED_FAILURE_KIND = 'expected-failure';

export const fails = defineKind({
  kind: 'fails',
  keys: ['fails'],
  companions: ['host', 'message'],
  required: ['message'],
  shape(h) {
    const { str, address, attachment, bool } = h;
    const net = () => str(f.dockerName);
    const run = z.strictObject({
      name: net(),
      image: str(f.imageRef).optional(),
      networks: z.array(attachment).min(1).describe('a list of networks'),
      command: z.array(str(f.text)).min(1).describe('a list of arguments').optional(),
      publish: z.array(str(f.publishSpec)).describe('a list of port mappings').optional(),
    });
    const createNetwork = z.strictObject({
      name: net(),
      driver: z.enum(DRIVERS),
      subnet: str(f.cidr4).optional(),
      gateway: address.optional(),
      parent: str(f.interfaceName).optional(),
      options: h.keyedRecord(f.optionName, str(f.text), 'a mapping of driver options').optional(),
      attachable: bool().optional(),
      internal: bool().optional(),
    });
    const connect = z.strictObject({ network: net(), container: net(), ip: address.optional() });
    const operation = z
      .strictObject({
        run: run.optional(),
        create_network: createNetwork.optional(),
        connect: connect.optional(),
      })
      .superRefine((v, ctx) => {
        const given = Object.keys(v).filter((k) => v[k as keyof typeof v] !== undefined);
        if (given.length !== 1) {
          const message = `give exactly one operation: run, create_network or connect${given.length > 1 ? ` (got ${given.join(', ')})` : ''}`;
          ctx.addIssue({ code: 'custom', message });
        }
      })
      .describe('a mapping with one of run, create_network, connect');
    return { fails: operation.optional(), message: str(f.pattern).optional() };
  },
  resolve(a, t): { kind: 'fails'; hosts: string[]; op: FailingOp; message: string } {
    const path = [...t.path, 'fails'];
    const op = failingOp(t, a.fails ?? {}, path);
    const hosts = op.op === 'connect' ? [t.container(op.container, path).host] : t.hostsOr(t.hosts);
    return { kind: 'fails', hosts, op, message: a.message ?? '' };
  },
  checkedOn: (a) => a.hosts,
  plan(
    a,
    base,
    t,
  ): typeof base & {
    kind: 'fails';
    op: FailingOp;
    /** A regular expression the Engine's error message must match (case-insensitive). */
    message: string;
    /** On whatever the operation makes, should it succeed: found and removed by label. */
    labels: Labels;
  } {
    return {
      ...base,
      kind: 'fails',
      op: a.op,
      message: a.message,
      labels: t.labels(base.host, EXPECTED_FAILURE_KIND),
    };
  },
});

type Operation = NonNullable<SourceOf<ReturnType<typeof fails.shape>>['fails']>;

function failingOp(t: ResolveTools, op: Operation, path: (string | number)[]): FailingOp {
  if (op.run) {
    const at = [...path, 'run'];
    const r = op.run;
    if (t.isOwnContainer(r.name)) {
      throw t.fail(
        [...at, 'name'],
        `container ${r.name} is one of the scenario's own; the operation that must fail needs a name of its own`,
      );
    }
    const image = r.image ?? t.defaultImage(at);
    const networks = r.networks.map((n, j) => {
      const { network: name, ip } = typeof n === 'string' ? { network: n, ip: undefined } : n;
      const where =
        typeof n === 'string' ? [...at, 'networks', j] : [...at, 'networks', j, 'network'];
      const net = t.network(name, where);
      if (ip === undefined) return { network: name };
      return { network: name, ...t.staticAddress(net, name, ip, [...at, 'networks', j, 'ip']) };
    });
    return {
      op: 'run',
      name: r.name,
      image,
      networks,
      ...(r.command !== undefined && { command: [...r.command] }),
      ...(r.publish !== undefined && { publish: [...r.publish] }),
    };
  }
  if (op.create_network) {
    const at = [...path, 'create_network'];
    const n = op.create_network;
    if (t.isOwnNetwork(n.name)) {
      throw t.fail(
        [...at, 'name'],
        `network ${n.name} is one of the scenario's own; the network that must be refused needs a name of its own`,
      );
    }
    const spec = t.resolveNetwork(n, at);
    if (spec.driver === 'macvlan' && spec.parent === undefined) {
      throw t.fail([...at, 'driver'], 'a macvlan network needs a parent interface');
    }
    return { op: 'create_network', network: spec };
  }
  const c = op.connect;
  if (!c) throw t.fail([...path], 'give exactly one operation: run, create_network or connect');
  const at = [...path, 'connect'];
  t.container(c.container, [...at, 'container']);
  const net = t.network(c.network, [...at, 'network']);
  return {
    op: 'connect',
    network: c.network,
    container: c.container,
    ...(c.ip !== undefined && { address: t.staticAddress(net, c.network, c.ip, [...at, 'ip']) }),
  };
}
