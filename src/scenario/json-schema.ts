/**
 * The scenario format as a JSON Schema, for editors (VS Code's YAML extension validates and completes
 * a scenario that names it in its first line). Generated from the zod schema lab itself loads
 * scenarios with, as written (template mode: `${var}` allowed where the loader allows it); the
 * loader's finer checks (formats, cross-references) stay the loader's. Shipped as
 * schema/scenario.schema.json, printed by `lab schema scenario`.
 */
import { z } from 'zod';
import { scenarioSchema } from './schema.js';

export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema('template'), {
    io: 'input',
    unrepresentable: 'any',
  });
  return {
    ...schema,
    title: 'lab scenario',
    description:
      'A lab scenario: hosts, NIC preparation, Docker networks, containers, and what must and must not reach what. See docs/scenario-format.md.',
  };
}
