import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { registerSchema } from '../schemas/register.ts';
import { pipelineSchema } from '../schemas/pipeline.ts';
import { stableJson } from '../src/util/stable-json.ts';
import { ROOT } from './helpers/cli.ts';
import { loadPipeline } from '../src/cli/screen.ts';

describe('published JSON Schemas', () => {
  it('match the zod schemas (run `npm run schemas` after changing one)', () => {
    for (const [file, schema] of [['register.schema.json', registerSchema], ['pipeline.schema.json', pipelineSchema]] as const) {
      expect(readFileSync(join(ROOT, 'schemas', file), 'utf8'), file).toBe(stableJson(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })));
    }
  });
  it('every bundled pipeline is valid', () => {
    for (const f of ['demo.json', 'maastricht-kwartaal.json']) expect(() => loadPipeline(join(ROOT, 'pipelines', f))).not.toThrow();
  });
});
