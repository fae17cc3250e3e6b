import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packRows, unpackRows } from '../src/load/packed-rows.ts';

// What a loader's rows hold (null, numbers of every kind, texts of any characters, empty ones
// included), and the odd value that only a clone carries (booleans, undefined, nested arrays).
const value = fc.oneof(
  fc.constant(null),
  fc.double(),
  fc.integer(),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constant(''),
  fc.boolean(),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 3 }),
);

describe('packRows', () => {
  it('gives back every row, value for value, of any width', () => {
    fc.assert(fc.property(fc.array(fc.array(value, { maxLength: 12 }), { maxLength: 40 }), (rows) => {
      const back = unpackRows(structuredClone(packRows(rows)));
      expect(back).toHaveLength(rows.length);
      // Object.is per value: -0 stays -0, NaN stays NaN, undefined stays undefined.
      rows.forEach((row, r) => {
        expect(back[r]).toHaveLength(row.length);
        row.forEach((v, c) => (Array.isArray(v) ? expect(back[r]![c]).toEqual(v) : expect(Object.is(back[r]![c], v)).toBe(true)));
      });
    }));
  });

  it('keeps texts apart whatever they hold, and tells an empty text from null', () => {
    const rows = [['a\u0000b', '', null, 'é€𝄞', 'x'.repeat(100)], ['', '', '', -0, Number.NaN]];
    const packed = packRows(rows);
    expect(packed.texts).toBe(`a\u0000bé€𝄞${'x'.repeat(100)}`);
    expect(unpackRows(packed)).toEqual(rows);
    expect(Object.is(unpackRows(packed)[1]![3], -0)).toBe(true);
  });
});
