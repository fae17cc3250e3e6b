/** `vib schemas`: writes JSON Schema files for register.json and pipeline files, from the zod schemas. */
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { registerSchema } from '../../schemas/register.ts';
import { pipelineSchema } from '../../schemas/pipeline.ts';
import { stableJson } from '../util/stable-json.ts';
import { parse } from './args.ts';

export async function schemasCommand(argv: string[]): Promise<number> {
  parse(argv, {});
  const targets: [string, z.ZodType][] = [
    ['schemas/register.schema.json', registerSchema],
    ['schemas/pipeline.schema.json', pipelineSchema],
  ];
  for (const [file, schema] of targets) {
    writeFileSync(file, stableJson(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })));
    process.stdout.write(`${file}\n`);
  }
  return 0;
}
