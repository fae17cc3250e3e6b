/**
 * The register as files: `register.json` (byte-stable JSON), `register.csv` (one row per entry) and
 * `rejects.csv`.
 */
import type { Register } from '../../schemas/register.ts';
import type { Reject } from '../sources/reject.ts';
import { stableJsonChunks } from '../util/stable-json.ts';
import { csvPieces } from './write-csv.ts';

/** `register.json` in pieces (at national scale it is some 80 MB): the bytes of `stableJson(register)`. */
export function registerJson(register: Register): Iterable<string> {
  return stableJsonChunks(register);
}

/** `register.csv` in pieces, each row made as its piece is (see `csvPieces`). */
export function registerCsv(register: Register): Iterable<string> {
  const columns = ['vbo_id', 'adres', 'postcode', 'woonplaats', 'gebruiksdoelen', 'score', 'band', 'regels', 'toelichting'];
  return csvPieces(columns, (function* () {
    for (const e of register.entries) {
      yield [
        e.vbo_id, e.adres, e.postcode, e.woonplaats, e.gebruiksdoelen.join('|'), e.score, e.band,
        e.hits.map((h) => h.rule_id).join('|'),
        e.hits.map((h) => `${h.rule_id} (${h.points}): ${h.explanation.nl}`).join(' / '),
      ];
    }
  })());
}

/** `rejects.csv` in pieces, sorted by file, position, column, reason and message. */
export function rejectsCsv(rejects: readonly Reject[]): Iterable<string> {
  const sorted = [...rejects].sort((a, b) =>
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.position - b.position
    || (a.column ?? '').localeCompare(b.column ?? '') || a.reason.localeCompare(b.reason) || a.message.localeCompare(b.message));
  return csvPieces(['file', 'position', 'column', 'value', 'reason', 'message'], (function* () {
    for (const r of sorted) yield [r.file, r.position, r.column, r.value, r.reason, r.message];
  })());
}
