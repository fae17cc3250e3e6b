import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { contract, rowReaderOf } from '../schemas/contract.ts';
import { date, id, required, text } from '../schemas/fields.ts';
import { csvSources } from '../src/sources/csv/csv-sources.ts';

/** The contract columns of a schema made by `contract` (a z.object, refinements inside). */
const columnsOf = (schema: z.ZodType) => Object.keys((schema as unknown as z.ZodObject).shape);

/**
 * Cells as a CSV row may hold them: empty, well-formed values of every kind of field, near misses
 * (a 15-digit vbo id, a date that does not exist, a negative amount, a share of 0) and noise.
 */
const cells: (string | null)[] = [
  null,
    '0935010000000001', '093501000000001', '6211 AB', '6211ab', '0211AB', '12', '0', '123456', 'a', 'B', '2a', 'abcde',
    '2024-01-31', '31-01-2024', '2024-02-30', '2024-13-01', '1.250.000', '1250000,50', '€ 1.000', '-5', 'abc',
    '12345678', '1234 5678', '1234567', '123456789012', '12345678901', '1/2', '0/1', '3/2', '2 / 4', '1/0',
    'NL', 'be', 'NLD', 'eigendom', 'Erfpacht', 'bank', 'overig', 'ja', 'NEE', 'natuurlijk_persoon',
    'niet_natuurlijk_persoon', 'verleend', 'horeca', 'overige gebruiksfunctie', 'alcoholwet', 'P1|P2', ' P3 | |P4', '|',
  'id\u0001x', 'Jansen, J.', 'ééé',
];

/** A column's cells: mostly ones its own field accepts (so that whole rows pass too), sometimes any. */
function cellsFor(field: z.ZodType): fc.Arbitrary<string | null> {
  const fits = cells.filter((c) => field.safeParse(c).success);
  return fc.oneof({ arbitrary: fc.constantFrom(...fits), weight: 12 }, { arbitrary: fc.constantFrom(...cells), weight: 1 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 });
}

describe('the contracts\' row readers', () => {
  it('exist for every CSV source (each schema is made by contract())', () => {
    for (const s of csvSources) expect(rowReaderOf(s.schema), s.key).toBeDefined();
  });

  it('accept exactly the rows the zod schema accepts, with the same values', () => {
    for (const s of csvSources) {
      const shape = (s.schema as unknown as z.ZodObject).shape;
      const reader = rowReaderOf(s.schema)!;
      expect(reader.columns).toEqual(columnsOf(s.schema));
      const row = fc.record(Object.fromEntries(columnsOf(s.schema).map((c) => [c, cellsFor(shape[c]!)])) as Record<string, fc.Arbitrary<string | null>>);
      let passed = 0;
      let refused = 0;
      fc.assert(fc.property(row, (raw) => {
        const parsed = s.schema.safeParse(raw);
        const fast = reader.read(reader.columns.map((c) => raw[c]!));
        if (parsed.success) {
          passed++;
          expect(fast, s.key).toEqual(parsed.data);
        } else {
          refused++;
          expect(fast, `${s.key}: ${parsed.error.issues[0]?.message}`).toBeNull();
        }
      }), { numRuns: 600, seed: 20261204 });
      // Both ways were tried, many times: a generator that only made bad rows would prove nothing.
      expect(passed, `${s.key} rows accepted`).toBeGreaterThan(60);
      expect(refused, `${s.key} rows refused`).toBeGreaterThan(60);
    }
  });

  it('read cells in the contract\'s column order, refuse a row of another width, and leave the reason to the schema', () => {
    const schema = contract({ a: required(id), b: text, c: date });
    const reader = rowReaderOf(schema)!;
    expect(reader.columns).toEqual(['a', 'b', 'c']);
    expect(reader.read(['x', null, '31-01-2024'])).toEqual({ a: 'x', b: null, c: '2024-01-31' });
    expect(reader.read(['x', null])).toBeNull();
    expect(reader.read([null, 'y', null])).toBeNull();
    expect(schema.safeParse({ a: null, b: 'y', c: null }).error?.issues[0]?.message).toBe('is required but empty');
  });

  it('read a field made without a cell reader by its own schema, and exist only for contracts', () => {
    const upper = z.string().nullable().transform((v, ctx) => {
      if (v !== 'bad') return v?.toUpperCase() ?? null;
      ctx.addIssue({ code: 'custom', message: 'bad' });
      return z.NEVER;
    });
    const own = contract({ a: upper, b: required(text) });
    expect(rowReaderOf(own)!.read(['x', 'y'])).toEqual({ a: 'X', b: 'y' });
    expect(rowReaderOf(own)!.read(['bad', 'y'])).toBeNull();
    expect(rowReaderOf(z.object({ a: text }))).toBeUndefined();
  });
});
