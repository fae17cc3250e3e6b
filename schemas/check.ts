/**
 * The applicant check report (`vib check --json`): accepted matches with everything known about
 * each party, related parties one step away, and the candidates that were considered and turned down.
 */
import { z } from 'zod';

const partySchema = z.object({
  party_id: z.string(),
  naam: z.string(),
  soort: z.enum(['person', 'organisation', 'unknown']),
  kvk_nummer: z.string().nullable(),
  geboortedatum: z.string().nullable(),
});

const unitSchema = z.object({
  vbo_id: z.string(),
  adres: z.string().nullable(),
  soort_recht: z.string(),
  aandeel: z.string(),
  ingangsdatum: z.string(),
  einddatum: z.string().nullable(),
  current: z.boolean(),
});

const transferSchema = z.object({
  transactie_id: z.string(), vbo_id: z.string(), datum: z.string(), koopsom: z.number().nullable(), rol: z.enum(['koper', 'verkoper']),
});

const mortgageSchema = z.object({
  hypotheek_id: z.string(), vbo_id: z.string(), datum: z.string(), bedrag: z.number().nullable(), einddatum: z.string().nullable(),
  rol: z.enum(['geldverstrekker', 'geldnemer']),
});

const applicationSchema = z.object({
  bron: z.string(), aanvraag_id: z.string(), soort: z.string(), vbo_id: z.string().nullable(), datum_aanvraag: z.string(), status: z.string().nullable(), bedrag: z.number().nullable(),
});

const establishmentSchema = z.object({
  kvk_nummer: z.string(), naam: z.string(), vbo_id: z.string().nullable(), sbi_codes: z.string(), datum_oprichting: z.string().nullable(), datum_opheffing: z.string().nullable(),
});

const signalSchema = z.object({
  signaal_id: z.string(), bron: z.string(), datum: z.string(), omschrijving: z.string().nullable(), link: z.string(),
});

const registerRefSchema = z.object({
  vbo_id: z.string(), adres: z.string().nullable(), score: z.number(), band: z.string(), rules: z.array(z.string()),
  review_status: z.string().nullable().describe('the review state in the pipeline of the run (nieuw, in_onderzoek, …)'),
});

export const relatedSchema = z.object({
  party: partySchema,
  relation: z.array(z.string()).describe('how it is related: mede-eigenaar, geldverstrekker, verkoper, zelfde postadres'),
  units: z.number().int(),
  signals: z.array(z.string()),
  register_entries: z.number().int(),
});

export const matchSchema = z.object({
  party: partySchema,
  score: z.number().min(0).max(1),
  reasons: z.array(z.string()),
  matched_name: z.string(),
  totals: z.object({
    units: z.number().int(), transfers: z.number().int(), mortgages: z.number().int(), register: z.number().int(),
  }).describe('how many rows each list would have: the lists below hold the most recent 100 (register: the highest 100); counts stop at 10,001, which means more than 10,000'),
  units: z.array(unitSchema),
  transfers: z.array(transferSchema),
  mortgages: z.array(mortgageSchema),
  applications: z.array(applicationSchema),
  establishments: z.array(establishmentSchema),
  signals: z.array(signalSchema),
  register: z.array(registerRefSchema),
  related: z.array(relatedSchema),
});

export const checkReportSchema = z.object({
  format: z.literal('vastgoed-in-beeld/check@1'),
  run_id: z.string(),
  peildatum: z.string(),
  query: z.object({ naam: z.string().nullable(), geboortedatum: z.string().nullable(), kvk_nummer: z.string().nullable(), adres: z.string().nullable() }),
  reden: z.string().nullable(),
  threshold: z.number(),
  matches: z.array(matchSchema),
  rejected: z.array(z.object({ party: partySchema, score: z.number(), reasons: z.array(z.string()), why: z.string() })),
});

export type CheckReport = z.infer<typeof checkReportSchema>;
export type CheckMatch = z.infer<typeof matchSchema>;
