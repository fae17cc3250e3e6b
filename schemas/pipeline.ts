/**
 * A screening definition (`pipelines/*.json`): where the input is, the peildatum, which rules with
 * which points and parameters, the bands, and where output and database go.
 */
import { z } from 'zod';

export const ruleSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  points: z.number().int().nonnegative().optional(),
  params: z.record(z.string(), z.unknown()).default({}),
});

export const pipelineSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes'),
  description: z.string().optional(),
  /** Input folder, relative to the pipeline file. */
  input: z.string().optional(),
  /** `YYYY-MM-DD`, or `today` (resolved once when the run starts, and recorded). */
  peildatum: z.union([z.literal('today'), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]).default('today'),
  /** Output folder for run folders, relative to the pipeline file. */
  out: z.string().default('../out'),
  /** Database: a SQLite file path (relative to the pipeline file) or a postgres:// URL. */
  db: z.string().optional(),
  /** A cron expression for `vib run-due`. */
  schedule: z.string().optional(),
  bands: z.strictObject({ hoog: z.number().int().positive(), midden: z.number().int().positive() }).default({ hoog: 40, midden: 20 }),
  rules: z.record(z.string(), ruleSettingsSchema).default({}),
});
export type Pipeline = z.infer<typeof pipelineSchema>;
