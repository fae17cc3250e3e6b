/**
 * What a rule is: data (id, version, titles, the sources it needs, zod-validated parameters, default
 * points) plus one set-based evaluation over the whole population of a run.
 *
 * @example
 * export const cashPurchase = defineRule({
 *   id: 'financing.cash-purchase', family: 'financing', version: 1, defaultPoints: 15,
 *   needs: ['transacties', 'hypotheken'],
 *   params: z.object({ minKoopsom: z.number().default(100_000) }),
 *   title: { nl: 'Aankoop zonder hypotheek', en: 'Purchase without mortgage' },
 *   async evaluate({ db, runKey, peildatum, params }) { ... one query → RuleHit[] },
 * });
 */
import type { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { CsvSourceKey } from '../sources/csv/csv-sources.ts';
import { euroText } from '../report/html.ts';

/** One source record behind a hit: which file, which record, and the fields that mattered. */
export interface Evidence {
  source: string;
  id: string;
  fields: Record<string, string | number | null>;
}

/** A rule firing on one unit, before points are attached. */
export interface RuleHit {
  vbo_id: string;
  explanation: { nl: string; en: string };
  evidence: Evidence[];
}

export interface RuleContext<P> {
  db: Db;
  runKey: number;
  peildatum: string;
  params: P;
  /** Hits of rules evaluated earlier in this run (for second-phase rules). */
  earlierHits: ReadonlyMap<string, readonly RuleHit[]>;
}

export interface Rule<S extends z.ZodObject = z.ZodObject> {
  id: string;
  family: 'financing' | 'ownership' | 'use' | 'network';
  version: number;
  needs: readonly CsvSourceKey[];
  /** At least one of these sources must be present (beside all of `needs`). */
  needsOneOf?: readonly CsvSourceKey[];
  params: S;
  defaultPoints: number;
  title: { nl: string; en: string };
  /** Evaluated after all first-phase rules (it reads their hits). */
  phase?: 1 | 2;
  evaluate(ctx: RuleContext<z.output<S>>): Promise<RuleHit[]>;
}

export function defineRule<S extends z.ZodObject>(rule: Rule<S>): Rule<S> {
  return rule;
}

/** Groups per-record rows of a rule's query into one hit per unit, in vbo_id order. */
export function hitsPerUnit<R extends { vbo_id: string }>(
  rows: readonly R[],
  toHit: (vboId: string, rows: R[]) => Omit<RuleHit, 'vbo_id'>,
): RuleHit[] {
  const byUnit = new Map<string, R[]>();
  for (const r of rows) {
    const list = byUnit.get(r.vbo_id);
    if (list) list.push(r);
    else byUnit.set(r.vbo_id, [r]);
  }
  return [...byUnit.keys()].sort().map((vbo) => ({ vbo_id: vbo, ...toHit(vbo, byUnit.get(vbo)!) }));
}

/** Formats euros the Dutch way: € 1.250.000 (`onbekend` when not disclosed). */
export function euro(n: number | null): string {
  return n === null ? 'onbekend' : euroText(n);
}
