/**
 * The risk register (`register.json`): one entry per unit with at least one hit, every point
 * explained by its rule, parameters and the source records behind it. `npm run schemas` writes the
 * JSON Schema next to this file for people outside the project.
 */
import { z } from 'zod';

export const evidenceSchema = z.object({
  source: z.string().describe('input file (or "bag") the record comes from'),
  id: z.string().describe('the record id in that file'),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).describe('the fields that mattered'),
});

export const hitSchema = z.object({
  rule_id: z.string(),
  rule_version: z.number().int(),
  title: z.object({ nl: z.string(), en: z.string() }),
  points: z.number().int(),
  explanation: z.object({ nl: z.string(), en: z.string() }),
  parameters: z.record(z.string(), z.unknown()),
  evidence: z.array(evidenceSchema),
});

export const holderSchema = z.object({
  persoon_id: z.string(),
  soort: z.enum(['natuurlijk_persoon', 'niet_natuurlijk_persoon']),
  /** Legal entities only: natural persons are not named in the register (see `vib check`). */
  naam: z.string().nullable(),
  kvk_nummer: z.string().nullable(),
  soort_recht: z.string(),
  aandeel: z.string(),
});

export const entrySchema = z.object({
  vbo_id: z.string(),
  adres: z.string().nullable(),
  straat: z.string().nullable(),
  postcode: z.string().nullable(),
  woonplaats: z.string().nullable(),
  x: z.number().nullable(),
  y: z.number().nullable(),
  gebruiksdoelen: z.array(z.string()),
  holders: z.array(holderSchema),
  score: z.number().int(),
  band: z.enum(['hoog', 'midden', 'laag']),
  hits: z.array(hitSchema),
  notes: z.array(z.string()).describe('data-quality notes, e.g. BAG attributes in onderzoek'),
});

export const ruleInfoSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  title: z.object({ nl: z.string(), en: z.string() }),
  points: z.number().int(),
  parameters: z.record(z.string(), z.unknown()),
});

export const registerSchema = z.object({
  format: z.literal('vastgoed-in-beeld/register@1'),
  pipeline: z.string(),
  peildatum: z.string(),
  bands: z.object({ hoog: z.number(), midden: z.number() }),
  rules: z.array(ruleInfoSchema),
  unavailable_rules: z.array(z.object({ id: z.string(), reason: z.string() })),
  summary: z.object({
    entries: z.number().int(),
    by_band: z.record(z.string(), z.number().int()),
    by_rule: z.record(z.string(), z.number().int()),
  }),
  entries: z.array(entrySchema),
});

export type Register = z.infer<typeof registerSchema>;
export type RegisterEntry = z.infer<typeof entrySchema>;
export type RegisterHit = z.infer<typeof hitSchema>;
