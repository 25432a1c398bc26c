import type { Command } from 'commander';
import { z } from 'zod';
import { CutoverError } from '../../core/errors.js';
import { changesetSchema } from '../../core/schema/changeset.js';
import { configSchema } from '../../core/schema/config.js';
import { planDocumentSchema } from '../../core/schema/plan.js';
import { deployResultSchema } from '../../core/schema/result.js';
import { strategySchema } from '../../core/schema/strategy.js';

const SCHEMAS = {
  changeset: changesetSchema,
  strategy: strategySchema,
  config: configSchema,
  result: deployResultSchema,
  plan: planDocumentSchema,
} as const;

export function registerSchema(program: Command): void {
  program
    .command('schema [name]')
    .description(
      `print the JSON Schema of an input or output file (${Object.keys(SCHEMAS).join(', ')}), for editors`,
    )
    .action((name: string | undefined) => {
      const key = (name ?? 'changeset') as keyof typeof SCHEMAS;
      const schema = SCHEMAS[key];
      if (!schema)
        throw new CutoverError(
          'E_USAGE',
          `unknown schema "${name}" (choose: ${Object.keys(SCHEMAS).join(', ')})`,
        );
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
      process.stdout.write(`${JSON.stringify({ title: `cutover ${key}`, ...json }, null, 2)}\n`);
    });
}
