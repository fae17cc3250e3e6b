import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VboIds, VboIdsBuilder } from '../src/load/vbo-ids.ts';

const id16 = (n: bigint) => n.toString().padStart(16, '0');

describe('VboIds', () => {
  it('holds exactly the 16-digit ids added, in any order and with repeats, also above 2^53 where doubles skip integers', () => {
    // Ids from anywhere in the 16-digit range and a few near 2^53 and the top, with their neighbours.
    const anyId = fc.oneof(
      fc.bigInt({ min: 0n, max: 9_999_999_999_999_999n }),
      fc.bigInt({ min: 9_007_199_254_740_980n, max: 9_007_199_254_741_010n }),
      fc.bigInt({ min: 9_999_010_000_000_000n, max: 9_999_010_000_000_040n }),
    );
    fc.assert(fc.property(fc.array(anyId, { maxLength: 300 }), fc.array(anyId, { maxLength: 100 }), fc.integer({ min: 1, max: 64 }), (added, asked, chunk) => {
      const b = new VboIdsBuilder(chunk);
      // Each id once in order, then all of them again, reversed: unsorted input with repeats apart.
      for (const n of added) b.add(id16(n));
      for (const n of [...added].reverse()) b.add(id16(n));
      const ids = b.build();
      const expected = new Set(added.map(id16));
      expect(ids.size).toBe(expected.size);
      for (const n of [...added, ...asked, ...added.map((x) => x + 1n), ...added.map((x) => x - 1n)]) {
        if (n < 0n || n > 9_999_999_999_999_999n) continue;
        expect(ids.has(id16(n))).toBe(expected.has(id16(n)));
      }
    }), { numRuns: 300 });
  });

  it('leaves out and never finds ids that are not 16 digits', () => {
    const b = new VboIdsBuilder();
    for (const id of ['0935010000000001', '935010000000001', '09350100000000010', '0935O10000000001', '', '0935010000000002']) b.add(id);
    const ids = b.build();
    expect(ids.size).toBe(2);
    expect(ids.has('0935010000000001')).toBe(true);
    expect(ids.has('935010000000001')).toBe(false);
    expect(ids.has('0935O10000000001')).toBe(false);
    expect(ids.has('')).toBe(false);
  });

  it('is found the same through its shared memory, as a reader thread sees it, and when empty', () => {
    // Many chunks' worth, in order: built without a sort.
    const b = new VboIdsBuilder(1_000);
    for (let i = 0; i < 1_100_000; i++) b.add(id16(9_999_010_000_000_000n + BigInt(2 * i)));
    const ids = b.build();
    const there = new VboIds(ids.shared);
    expect(there.size).toBe(1_100_000);
    expect(there.has(id16(9_999_010_000_000_000n + 2_199_998n))).toBe(true);
    expect(there.has(id16(9_999_010_000_000_000n + 2_199_999n))).toBe(false);
    expect(there.has(id16(9_999_010_000_000_000n + 2_000n))).toBe(true);
    expect(there.has(id16(9_999_010_000_000_000n + 1_998n))).toBe(true);
    const none = new VboIdsBuilder().build();
    expect(none.size).toBe(0);
    expect(none.has('0935010000000001')).toBe(false);
  });
});
