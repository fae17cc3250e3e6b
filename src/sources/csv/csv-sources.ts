/**
 * The CSV files of the input folder: file name, schema, key column, and which columns must be in the
 * header. One table drives reading, validation and loading of all of them.
 */
import type { z } from 'zod';
import {
  hypotheekSchema, kvkSchema, persoonSchema, rechtSchema, signaalSchema, subsidieSchema, transactieSchema,
  vergunningSchema, wozSchema,
} from '../../../schemas/inputs.ts';

export interface CsvSource<S extends z.ZodType = z.ZodType> {
  /** Short name used in tables, rules' `needs` and the manifest. */
  key: CsvSourceKey;
  file: string;
  required: boolean;
  schema: S;
  /** The column whose value must be unique in the file; `null` where rows have no own id. */
  idColumn: string | null;
  /** Columns that must be in the header. */
  requiredColumns: readonly string[];
  /** True when rows name a unit: the header needs `vbo_id` or `postcode` + `huisnummer`. */
  namesUnit: boolean;
}

export type CsvSourceKey =
  | 'personen' | 'rechten' | 'transacties' | 'hypotheken' | 'woz' | 'kvk' | 'vergunningen' | 'subsidies' | 'signalen';

function source<S extends z.ZodType>(s: CsvSource<S>): CsvSource<S> {
  return s;
}

export const personen = source({
  key: 'personen', file: 'personen.csv', required: true, schema: persoonSchema, idColumn: 'persoon_id',
  requiredColumns: ['persoon_id', 'soort', 'naam'], namesUnit: false,
});
export const rechten = source({
  key: 'rechten', file: 'rechten.csv', required: true, schema: rechtSchema, idColumn: 'recht_id',
  requiredColumns: ['recht_id', 'soort_recht', 'persoon_id', 'ingangsdatum'], namesUnit: true,
});
export const transacties = source({
  key: 'transacties', file: 'transacties.csv', required: false, schema: transactieSchema, idColumn: 'transactie_id',
  requiredColumns: ['transactie_id', 'datum', 'koper_ids'], namesUnit: true,
});
export const hypotheken = source({
  key: 'hypotheken', file: 'hypotheken.csv', required: false, schema: hypotheekSchema, idColumn: 'hypotheek_id',
  requiredColumns: ['hypotheek_id', 'datum', 'hypotheekhouder_id'], namesUnit: true,
});
export const woz = source({
  key: 'woz', file: 'woz.csv', required: false, schema: wozSchema, idColumn: null,
  requiredColumns: ['peildatum', 'waarde'], namesUnit: true,
});
export const kvk = source({
  key: 'kvk', file: 'kvk.csv', required: false, schema: kvkSchema, idColumn: null,
  // The establishment address is optional: a company seated elsewhere still tells its founding date.
  requiredColumns: ['kvk_nummer', 'naam'], namesUnit: false,
});
export const vergunningen = source({
  key: 'vergunningen', file: 'vergunningen.csv', required: false, schema: vergunningSchema, idColumn: 'aanvraag_id',
  requiredColumns: ['aanvraag_id', 'soort', 'aanvrager_naam', 'datum_aanvraag'], namesUnit: true,
});
export const subsidies = source({
  key: 'subsidies', file: 'subsidies.csv', required: false, schema: subsidieSchema, idColumn: 'aanvraag_id',
  requiredColumns: ['aanvraag_id', 'soort', 'aanvrager_naam', 'datum_aanvraag'], namesUnit: true,
});
export const signalen = source({
  key: 'signalen', file: 'signalen.csv', required: false, schema: signaalSchema, idColumn: 'signaal_id',
  requiredColumns: ['signaal_id', 'naam', 'bron', 'datum'], namesUnit: false,
});

/** All CSV sources in load order: parties first, since other files refer to them. */
export const csvSources = [personen, rechten, transacties, hypotheken, woz, kvk, vergunningen, subsidies, signalen] as const;

/** The source with this key. */
export function csvSource(key: CsvSourceKey): CsvSource {
  return csvSources.find((s) => s.key === key)!;
}
