import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMonths, dayNumber, fromDayNumber, parseDate } from '../src/util/dates.ts';
import { parseAmount } from '../src/util/amount.ts';
import { decimal } from '../src/util/decimal.ts';
import { neutraliseFormula } from '../src/report/csv-safe.ts';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256File } from '../src/util/hash.ts';
import { filePieces } from '../src/util/file-pieces.ts';
import { stableJson, stableJsonChunks } from '../src/util/stable-json.ts';
import { arraysInOneBlock } from '../src/util/arrays-in-one-block.ts';

describe('decimal', () => {
  it('reads the bytes of a text as Number reads the text, whether a plain decimal or anything else', () => {
    const same = (s: string): void => { expect(Object.is(decimal(Buffer.from(s, 'latin1')), Number(s)), JSON.stringify(s)).toBe(true); };
    for (const s of ['0', '-0', '50', '00012', '176543.123', '-176543.123', '.5', '-.5', '5.', '0.1', '0.7', '9007199254740993',
      '123456789012345', '1234567890123456', '0.000000000000000000000001', '1e3', '+7', '0x10', ' 12', '12 ', '', '-', '.', '1.2.3', 'Infinity', '12a']) same(s);
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 20 });
    fc.assert(fc.property(fc.boolean(), digits, fc.option(digits), (neg, int, frac) => same(`${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}`)), { numRuns: 5000 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.-+e x'), maxLength: 12 }), same), { numRuns: 2000 });
  });

  it('reads a part of the bytes as Number reads that part of the text', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.- '), maxLength: 16 }), fc.nat(16), fc.nat(16), (s, a, b) => {
      const from = Math.min(a, b, s.length), to = Math.min(Math.max(a, b), s.length);
      expect(Object.is(decimal(Buffer.from(s, 'latin1'), from, to), Number(s.slice(from, to)))).toBe(true);
    }), { numRuns: 3000 });
  });
});

describe('dates', () => {
  it('parses ISO and Dutch forms and refuses impossible dates', () => {
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    expect(parseDate('29-2-2024')).toBe('2024-02-29');
    expect(parseDate('2023-02-29')).toBeNull();
    expect(parseDate('31-04-2024')).toBeNull();
    expect(parseDate('2024/01/01')).toBeNull();
  });
  it('moves by calendar months, clamping at month ends', () => {
    expect(addMonths('2026-10-01', -60)).toBe('2021-10-01');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2024-01-15', 13)).toBe('2025-02-15');
  });
  it('round-trips day numbers', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(fromDayNumber(dayNumber('2026-10-01') - 90)).toBe('2026-07-03');
  });
  it('read ISO dates digit by digit as the calendar has them, and nothing else', () => {
    // References from Date (setUTCFullYear: years below 100 are not moved to the 1900s): a date is
    // real when it comes back as written; its day number is Date's.
    const real = (y: number, m: number, d: number) => {
      const t = new Date(0);
      t.setUTCFullYear(y, m - 1, d);
      return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
    };
    const days = (y: number, m: number, d: number) => { const t = new Date(0); t.setUTCFullYear(y, m - 1, d); return t.getTime() / 86_400_000; };
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    fc.assert(fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), (y, m, d) => {
      const iso = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
      expect(parseDate(iso)).toBe(real(y, m, d) ? iso : null);
      expect(parseDate(` ${iso}\t`)).toBe(real(y, m, d) ? iso : null);
      // Like Date.UTC, a day or month past its end rolls over.
      expect(dayNumber(iso)).toBe(days(y, m, d));
    }), { numRuns: 3000 });
    // Every day of a leap year and of the years around it, and the Gregorian century rule.
    for (let n = dayNumber('2023-12-25'); n <= dayNumber('2025-01-05'); n++) expect(dayNumber(fromDayNumber(n))).toBe(n);
    expect(parseDate('1900-02-29')).toBeNull();
    expect(parseDate('2000-02-29')).toBe('2000-02-29');
    // Anything not four, two and two ASCII digits is not an ISO date.
    for (const bad of ['２０２４-01-01', '2024-1-01', '2024-01-1x', '+024-01-01', '2024-01-01T', '2024_01_01', '']) {
      expect(parseDate(bad)).toBeNull();
      expect(() => dayNumber(bad)).toThrow(/not an ISO date/);
    }
  });
});

describe('amounts', () => {
  it('reads whole euros, decimals with either mark, and unambiguous thousands grouping', () => {
    expect(parseAmount('250000')).toBe(250000);
    expect(parseAmount('250000,50')).toBe(250000.5);
    expect(parseAmount('250000.5')).toBe(250000.5);
    expect(parseAmount('1.250.000')).toBe(1250000);
    expect(parseAmount('1.250.000,75')).toBe(1250000.75);
    expect(parseAmount('€ 300000')).toBe(300000);
  });
  it('refuses what it cannot read without guessing', () => {
    expect(parseAmount('1.250')).toBeNull(); // 1.25 or 1250?
    expect(parseAmount('twee ton')).toBeNull();
    expect(parseAmount('1,250.000,5')).toBeNull();
  });
});

describe('formula neutralisation', () => {
  it('prefixes cells that a spreadsheet would run as a formula', () => {
    for (const v of ['=HYPERLINK("x")', '+31', '-1+1', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseFormula(v)).toBe(`'${v}`);
    expect(neutraliseFormula('Boschstraat 1')).toBe('Boschstraat 1');
    expect(neutraliseFormula(-5)).toBe(-5);
  });
});

describe('file hashes', () => {
  it('hash a file read in pieces exactly as its whole bytes: empty, one piece, and across piece boundaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vib-hash-'));
    for (const size of [0, 1, (1 << 20) - 1, 1 << 20, (5 << 19) + 3]) {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 7919 + (i >> 11)) & 0xff;
      const path = join(dir, `f${size}`);
      writeFileSync(path, bytes);
      expect(await sha256File(path), `${size} bytes`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
  it('read a file in pieces of one reused buffer: copied as they come, they give the file; left early, the file is closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vib-pieces-'));
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff));
    const path = join(dir, 'f');
    writeFileSync(path, bytes);
    const pieces: Buffer[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const piece of filePieces(path, 64)) {
      buffers.add(piece.buffer);
      pieces.push(Buffer.from(piece));
    }
    expect(pieces.map((p) => p.length)).toEqual([...Array(15).fill(64), 40]);
    expect(Buffer.concat(pieces).equals(bytes)).toBe(true);
    expect(buffers.size).toBe(1);
    for await (const piece of filePieces(path, 64)) { expect(piece[0]).toBe(0); break; }
    rmSync(path); // a handle still open would be listed as "<path> (deleted)"
    const open = readdirSync('/proc/self/fd').map((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`); } catch { return ''; } });
    expect(open.filter((target) => target.startsWith(path))).toEqual([]);
  });
});

describe('stable JSON in pieces', () => {
  it('gives the same bytes as stableJson, at every depth, for any JSON-like value', () => {
    const value = fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withDate: true, withSparseArray: true, withNullPrototype: true, withObjectString: true });
    fc.assert(fc.property(value, fc.integer({ min: 0, max: 4 }), (v, depth) => {
      expect([...stableJsonChunks(v, depth)].join('')).toBe(stableJson(v));
    }), { seed: 20261130, numRuns: 2000 });
    // Integer-like keys come first, ascending, as in stableJson's sorted copy.
    const v = { b: [1, { z: 1, 10: 'x', 9: 'y', a: [] }], a: {}, 2: null, u: undefined };
    expect([...stableJsonChunks(v)].join('')).toBe(stableJson(v));
  });
});

describe('typed arrays in one block', () => {
  it('cuts zeroed arrays of n elements each from one buffer, aligned and not overlapping', () => {
    const kinds = ['i32', 'u32', 'u8'] as const;
    fc.assert(fc.property(fc.nat(40), fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 6 }), (n, ks) => {
      const spec = Object.fromEntries(ks.map((k, i) => [`a${i}`, k]));
      const arrays = Object.values(arraysInOneBlock(n, spec).arrays) as (Int32Array | Uint32Array | Uint8Array)[];
      const block = arrays[0]!.buffer;
      expect(block.byteLength).toBe(ks.reduce((sum, k) => sum + n * (k === 'u8' ? 1 : 4), 0));
      arrays.forEach((a, i) => {
        expect(a.buffer).toBe(block);
        expect(a.length).toBe(n);
        expect(a.byteOffset % a.BYTES_PER_ELEMENT).toBe(0);
        expect(a.every((v) => v === 0)).toBe(true);
        a.fill(i + 1);
      });
      // Each keeps what was written to it: no two share a byte.
      arrays.forEach((a, i) => expect(a.every((v) => v === i + 1)).toBe(true));
    }));
    const { big, small } = arraysInOneBlock(3, { small: 'u8', big: 'i32' }).arrays;
    expect(big).toBeInstanceOf(Int32Array);
    expect(small).toBeInstanceOf(Uint8Array);
    expect([big.byteOffset, small.byteOffset]).toEqual([0, 12]);
  });

  it('gives the memory back when released, without waiting for the collector', async () => {
    const n = 16 * 1024 * 1024;
    const block = arraysInOneBlock(n, { a: 'i32', b: 'u8' });
    block.arrays.a.fill(7);
    const held = process.memoryUsage().arrayBuffers;
    await block.release();
    // The arrays are empty now, and the 80 MB are no longer counted as ArrayBuffer memory.
    expect(block.arrays.a.length).toBe(0);
    expect(block.arrays.b.length).toBe(0);
    expect(held - process.memoryUsage().arrayBuffers).toBeGreaterThanOrEqual(5 * n);
    await block.release();
    await arraysInOneBlock(0, { a: 'u32' }).release();
  });
});
