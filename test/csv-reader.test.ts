import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_RECORD_CHARS, readCsv, readCsvChunks } from '../src/sources/csv/read-csv.ts';
import { detectEncoding } from '../src/sources/csv/detect-encoding.ts';
import { readCsvSource } from '../src/sources/csv/read-csv-source.ts';
import { CsvReaderThreads, csvRowBatchesInWorker } from '../src/load/csv-batches-in-worker.ts';
import { csvRowBatches, tableOf } from '../src/load/csv-rows.ts';
import { VboIdsBuilder } from '../src/load/vbo-ids.ts';
import { personen, rechten, transacties } from '../src/sources/csv/csv-sources.ts';
import { InputError } from '../src/util/input-error.ts';
import { tempDir } from './helpers/mini-input.ts';

function file(content: string | Buffer, name = 'x.csv'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

async function collect<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe('detectEncoding', () => {
  it('tells UTF-8 when multi-byte characters straddle the 1 MB chunks it reads, and Windows-1252 when a byte is wrong or a character is cut off', async () => {
    const MB = 1 << 20;
    const chars = ['é', 'Ĳ', '€', '𝄞']; // 2, 2, 3 and 4 bytes
    for (const ch of chars) {
      const bytes = Buffer.from(ch, 'utf8');
      // The character starts 1..4 bytes before the chunk boundary.
      for (let back = 1; back <= bytes.length; back++) {
        const head = Buffer.alloc(MB - back, 0x61);
        const content = Buffer.concat([Buffer.from('naam\n'), head.subarray(5), bytes, Buffer.from('\n')]);
        expect((await detectEncoding(file(content))).encoding, `${ch} ${back} before the boundary`).toBe('utf8');
        const broken = Buffer.from(content);
        broken[MB - back + 1] = 0x41; // its second byte replaced by an ASCII letter
        expect((await detectEncoding(file(broken))).encoding, `${ch} broken at ${back}`).toBe('windows-1252');
      }
      const cutOff = Buffer.concat([Buffer.from('naam\nx'), bytes.subarray(0, bytes.length - 1)]);
      expect((await detectEncoding(file(cutOff))).encoding, `${ch} cut off at the end`).toBe('windows-1252');
    }
    expect((await detectEncoding(file(iconv.encode('naam\nCafé Crème\n', 'win1252')))).encoding).toBe('windows-1252');
    expect((await detectEncoding(file(Buffer.from([0xed, 0xa0, 0x80])))).encoding).toBe('windows-1252'); // a UTF-16 surrogate
  });

  it('notes a carriage return anywhere, also past the first chunk, so the parser looks for all three line ends there', async () => {
    const MB = 1 << 20;
    const lines = Array.from({ length: Math.ceil(MB / 8) + 10 }, (_, i) => `r${i},x`);
    const lf = `id,v\n${lines.join('\n')}\n`;
    expect((await detectEncoding(file(lf))).carriageReturns).toBe(false);
    // One old-Mac line end far past the first megabyte: found, and the rows around it read apart.
    const at = lines.length - 3;
    const mixed = `id,v\n${lines.slice(0, at).join('\n')}\r${lines.slice(at).join('\n')}\n`;
    expect((await detectEncoding(file(mixed))).carriageReturns).toBe(true);
    const rows = (await collect(readCsv(file(mixed)))).filter((e) => e.kind === 'row');
    expect(rows).toHaveLength(lines.length);
    expect(rows.slice(at - 1, at + 1)).toEqual([
      { kind: 'row', line: at + 1, values: [`r${at - 1}`, 'x'] },
      { kind: 'row', line: at + 2, values: [`r${at}`, 'x'] },
    ]);
    // Without any, the same rows as the file with all three line ends looked for.
    const plain = (await collect(readCsv(file(lf)))).filter((e) => e.kind === 'row');
    expect(plain).toHaveLength(lines.length);
    expect(plain.at(-1)).toEqual({ kind: 'row', line: lines.length + 1, values: [`r${lines.length - 1}`, 'x'] });
  });
});

/** A file's events, or the error reading it gave. */
async function outcome(path: string, plain: boolean): Promise<unknown> {
  try {
    return await collect(readCsv(path, { plain }));
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe('plain lines, and csv-parse for the stretches with a quote', () => {
  it('give the events csv-parse gives reading every byte: rows, line numbers, broken stretches, on generated files of every kind', async () => {
    // Quote-free stretches, quotes in and out of place, every line end, BOMs, characters of one to
    // four bytes and long runs that cross the 64 KB pieces the file is read in.
    const token = fc.oneof(
      { weight: 30, arbitrary: fc.constantFrom('a', 'bc', 'é', '€', '𝄞', ',', ';', ' ', '\n', '\n', '\n', '\uFEFF') },
      { weight: 6, arbitrary: fc.constantFrom('\r\n', '\r') },
      { weight: 3, arbitrary: fc.constantFrom('"', '""', ',"x,\ny",') },
      { weight: 2, arbitrary: fc.integer({ min: 1, max: 70_000 }).map((n) => `${'y'.repeat(n - 1)}\n`) },
    );
    await fc.assert(fc.asyncProperty(fc.array(token, { maxLength: 80 }), fc.constantFrom('utf8', 'win1252'), fc.boolean(), async (tokens, encoding, noCarriageReturns) => {
      let text = tokens.join('');
      if (noCarriageReturns) text = text.replace(/\r/g, '');
      const path = file(encoding === 'utf8' ? text : Buffer.concat([iconv.encode(text, 'win1252'), Buffer.from([0xe9, 0x0a])]), 'g.csv');
      expect(await outcome(path, true)).toEqual(await outcome(path, false));
    }), { numRuns: 400 });
    // Edges drawn by hand: a BOM before a quote, a line end or a quote at a piece's end, a file of a BOM.
    const K = 64 * 1024;
    for (const text of ['\uFEFF"id",naam\n1,2\n', '\uFEFF', '\uFEFFid', 'id\r', `${'a'.repeat(K - 1)}\r\nb,c\r\n`, `${'a'.repeat(K - 1)}\rb"\r\n`, `${'a'.repeat(K - 3)}\n"b,c"\nd\n`, `${'é'.repeat(K)}\n"`,
      // A quote left open for more than a megabyte of lines, and a quoted field that long with plain lines after it.
      `id,naam\n1,"open\n${'2,regel\n'.repeat(200_000)}`, `id,naam\r\n1,"${'lang\r\n'.repeat(300_000)}"\r\n2,a\r\n3,"b"\r\n4,c\r\n`]) {
      const path = file(text, 'edge.csv');
      expect(await outcome(path, true), JSON.stringify(text.slice(-12))).toEqual(await outcome(path, false));
    }
  });

  it('refuse a record longer than the limit and read nothing after it, with or without quotes, as csv-parse does', async () => {
    const long = 'z'.repeat(MAX_RECORD_CHARS + 10);
    for (const content of [`id,naam\n1,ok\n2,${long}\n3,weg\n`, `id,naam\n1,ok\n2,${long}`, `id,naam\n1,ok\n2,"${long}"\n3,weg\n`, `id,naam\r\n1,ok\r2,${long}\r\n3,weg\n`]) {
      const path = file(content, 'long.csv');
      const events = await outcome(path, true);
      expect(events).toEqual(await outcome(path, false));
      expect((events as { kind: string; line?: number }[]).map((e) => [e.kind, e.line])).toEqual([['header', undefined], ['row', 2], ['broken', 3]]);
    }
  });
});

describe('readCsv', () => {
  it('detects the separator from the header line', async () => {
    const semi = await collect(readCsv(file('a;b\n"1,5";2\n')));
    expect(semi[0]).toMatchObject({ kind: 'header', names: ['a', 'b'], delimiter: ';' });
    expect(semi[1]).toEqual({ kind: 'row', line: 2, values: ['1,5', '2'] });
    const comma = await collect(readCsv(file('a,b\n"1;5",2\n')));
    expect(comma[1]).toEqual({ kind: 'row', line: 2, values: ['1;5', '2'] });
  });

  it('reads UTF-8 with and without BOM, and detects Windows-1252', async () => {
    for (const content of ['\uFEFFnaam\nCafé Crème\n', 'naam\nCafé Crème\n']) {
      const rows = await collect(readCsv(file(content)));
      expect(rows[0]).toMatchObject({ names: ['naam'], encoding: 'utf8' });
      expect(rows[1]).toMatchObject({ values: ['Café Crème'] });
    }
    const cp = await collect(readCsv(file(iconv.encode('naam;plaats\nCafé Crème;Maastricht\n', 'win1252'))));
    expect(cp[0]).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    expect(cp[1]).toMatchObject({ values: ['Café Crème', 'Maastricht'] });
  });

  it('keeps quoted separators and newlines inside a field, and numbers rows by their first line', async () => {
    const rows = await collect(readCsv(file('id,omschrijving\n1,"regel een,\nregel ""twee"""\n2,kort\r\n')));
    expect(rows.slice(1)).toEqual([
      { kind: 'row', line: 2, values: ['1', 'regel een,\nregel "twee"'] },
      { kind: 'row', line: 4, values: ['2', 'kort'] },
    ]);
  });

  it('reports an unterminated quote instead of losing the rest silently', async () => {
    const rows = await collect(readCsv(file('id,naam\n1,ok\n2,"open\n3,weg\n')));
    expect(rows.find((r) => r.kind === 'broken')).toMatchObject({ kind: 'broken', line: 3 });
  });

  it('reports unreadable records in file order at their own lines, and numbers the records after them right', async () => {
    const events = await collect(readCsv(file('id,naam\n1,ok\n2,ab"c\n3,"x\ny"\n4,goed\n5,a\n')));
    expect(events.slice(1).map((e) => (e.kind === 'row' ? [e.line, e.values[0]] : e.kind === 'broken' ? [e.line, e.kind] : [0, e.kind]))).toEqual([
      [2, '1'], [3, 'broken'], [4, '3'], [6, '4'], [7, '5'],
    ]);
    expect(events[2]).toMatchObject({ message: expect.stringMatching(/Invalid Opening Quote.*line 3/) });
  });

  it('numbers records by their first line across read chunks, with quoted newlines and mixed line ends', async () => {
    // About 3 MB: several 1 MB chunks, so the parser runs ahead of the reader.
    const lines = ['id,tekst'];
    const expected: [number, string][] = [];
    let line = 2;
    for (let i = 0; i < 60_000; i++) {
      expected.push([line, String(i)]);
      if (i % 1000 === 7) { lines.push(`${i},"twee\nregels ${'x'.repeat(30)}"`); line += 2; }
      else { lines.push(`${i},${'y'.repeat(40)}`); line += 1; }
    }
    const text = lines.map((l, i) => l + (i % 3 === 0 ? '\r\n' : '\n')).join('');
    const rows = (await collect(readCsv(file(text)))).filter((e) => e.kind === 'row');
    expect(rows.map((e) => [e.line, (e as { values: string[] }).values[0]])).toEqual(expected);
  });

  it('hands records on a chunk at a time: the header alone first, then the records of each read chunk together, in file order', async () => {
    const lines = ['id,tekst', ...Array.from({ length: 20_000 }, (_, i) => `${i},${'z'.repeat(20)}`)];
    const chunks = await collect(readCsvChunks(file(lines.join('\n') + '\n')));
    expect(chunks[0]).toEqual([{ kind: 'header', names: ['id', 'tekst'], encoding: 'utf8', delimiter: ',' }]);
    // About 540 KB in 64 KB reads: a handful of arrays, not one per record, and nothing lost or reordered.
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.length).toBeLessThan(100);
    expect(chunks.slice(1).flat().map((e) => (e.kind === 'row' ? e.values[0] : e.kind))).toEqual(lines.slice(1).map((l) => l.split(',')[0]));
    // A stretch that cannot be read before the header still comes out where it was.
    const broken = await collect(readCsv(file('x,ab"c\nid,naam\n1,ok\n')));
    expect(broken.map((e) => [e.kind, 'line' in e ? e.line : 0])).toEqual([['broken', 1], ['header', 0], ['row', 3]]);
  });

  it('refuses a binary file and an empty file with clear errors', async () => {
    await expect(collect(readCsv(file(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x10]), 'rechten.csv')))).rejects.toThrow(/rechten.csv: is a binary file/);
    await expect(collect(readCsv(file('', 'leeg.csv')))).rejects.toThrow(/leeg.csv: is empty/);
  });
});

describe('csvRowBatchesInWorker', () => {
  const threads = new CsvReaderThreads();
  afterAll(() => threads.close());
  const personenFile = (n: number, from = 0) => file(['persoon_id,soort,naam,geboortedatum,kvk_nummer',
    ...Array.from({ length: n }, (_, k) => { const i = from + k; return i % 997 === 0 ? `P${i},robot,X,,` : `P${i},natuurlijk_persoon,Naam ${i},1980-01-${String((i % 28) + 1).padStart(2, '0')},`; })].join('\n'));

  it('gives the same rows and rejects, in the same batches and order, as reading on this thread', async () => {
    // 10,000 rows: several batches, so the thread waits for acknowledgements on the way.
    const path = personenFile(10_000);
    const here = await collect(csvRowBatches(path, 'personen.csv', personen, 1));
    let header: unknown = null;
    const there = await collect(csvRowBatchesInWorker(threads, path, 'personen.csv', personen, 1, (h) => { header = h; }));
    expect(there).toEqual(here);
    expect(there.length).toBe(5);
    expect(there.flatMap((b) => b.rejects)).toHaveLength(11);
    expect(there.flatMap((b) => b.rows)).toHaveLength(10_000 - 11);
    // A row: run key, the contract's columns, line and extra columns.
    expect(there[0]!.rows[0]).toEqual([1, 'P1', 'natuurlijk_persoon', 'Naam 1', '1980-01-02', null, null, 'NL', null, null, null, null, null, 3, null]);
    // The id, read from the row when a duplicate is refused.
    expect(there[0]!.rows[0]![tableOf('personen').idAt!]).toBe('P1');
    expect(header).toEqual({ encoding: 'utf8', delimiter: ',' });
  });

  it('gives a source with child rows (the parties of transfers), texts beyond ASCII and extra columns as on this thread', async () => {
    const lines = ['transactie_id,vbo_id,datum,koopsom,koper_ids,verkoper_ids,meerdere_objecten,opmerking',
      ...Array.from({ length: 4_500 }, (_, i) => `T${i},${String(i).padStart(16, '0')},2024-0${(i % 9) + 1}-15,${i % 50 === 0 ? 'veel' : 100_000 + i},${i % 3 ? `K${i}|K${i + 1}|K${i}` : `K${i}`},V${i},${i % 7 ? '' : 'ja'},${i % 5 ? '' : `café ${i} 𝄞`}`)];
    const path = file(lines.join('\n'), 'transacties.csv');
    // The BAG lacks every fourth unit: the readers name those vbo_ids, shared memory and all.
    const bag = new VboIdsBuilder();
    for (let i = 0; i < 4_500; i++) if (i % 4 !== 3) bag.add(String(i).padStart(16, '0'));
    const bagIds = bag.build();
    const here = await collect(csvRowBatches(path, 'transacties.csv', transacties, 7, undefined, bagIds));
    const there = await collect(csvRowBatchesInWorker(threads, path, 'transacties.csv', transacties, 7, undefined, bagIds));
    expect(there).toEqual(here);
    expect(there.flatMap((b) => b.unknownVboIds)).toEqual(Array.from({ length: 1_125 }, (_, k) => String(4 * k + 3).padStart(16, '0')));
    expect((await collect(csvRowBatchesInWorker(threads, path, 'transacties.csv', transacties, 7))).flatMap((b) => b.unknownVboIds)).toEqual([]);
    expect(there.flatMap((b) => b.rejects)).toHaveLength(90);
    const rows = there.flatMap((b) => b.rows);
    const children = there.flatMap((b) => b.children!);
    expect(children).toHaveLength(rows.length);
    // T0 is refused (its koopsom is no number): the first row is T1's, its repeated buyer once.
    expect(children[0]).toEqual([[7, 'T1', 'koper', 'K1'], [7, 'T1', 'koper', 'K2'], [7, 'T1', 'verkoper', 'V1']]);
    expect(rows[4]!.at(-1)).toBe('{"opmerking":"café 5 𝄞"}');
  });

  it('keeps a header problem an InputError with the same message', async () => {
    await expect(collect(csvRowBatchesInWorker(threads, file('persoon_id,naam\nP1,A\n'), 'personen.csv', personen, 1))).rejects.toThrow(new InputError('personen.csv: required column "soort" missing from the header (found: persoon_id, naam)'));
    await expect(collect(csvRowBatchesInWorker(threads, file('persoon_id,naam\nP1,A\n'), 'personen.csv', personen, 1))).rejects.toBeInstanceOf(InputError);
  });

  it('reads file after file on one thread, each as on this thread; a file left half-read ends its thread', async () => {
    const own = new CsvReaderThreads();
    try {
      const files = [personenFile(9_000), personenFile(3_000, 50_000), file('persoon_id,naam\nP1,A\n'), personenFile(7_000, 90_000)];
      for (const [k, path] of files.entries()) {
        const read = collect(csvRowBatchesInWorker(own, path, 'personen.csv', personen, 1));
        if (k === 2) await expect(read).rejects.toBeInstanceOf(InputError);
        else expect(await read).toEqual(await collect(csvRowBatches(path, 'personen.csv', personen, 1)));
      }
      expect(own.started).toBe(1);
      // Left after the first batch: that thread is ended, the next file gets a new one and reads whole.
      for await (const batch of csvRowBatchesInWorker(own, files[0]!, 'personen.csv', personen, 1)) { expect(batch.rows.length).toBeGreaterThan(0); break; }
      expect(await collect(csvRowBatchesInWorker(own, files[1]!, 'personen.csv', personen, 1))).toEqual(await collect(csvRowBatches(files[1]!, 'personen.csv', personen, 1)));
      expect(own.started).toBe(2);
    } finally {
      await own.close();
    }
  });

  it('fails a read whose thread ends under it, instead of waiting for it forever', async () => {
    const own = new CsvReaderThreads();
    const batches = csvRowBatchesInWorker(own, personenFile(20_000), 'personen.csv', personen, 1);
    await batches.next();
    await own.close();
    await expect(collect(batches)).rejects.toThrow(/CSV reader thread failed: it ended \(exit code \d+\)/);
  });
});

describe('readCsvSource', () => {
  it('matches header names case-insensitively, trimmed, in any order', async () => {
    const path = file(' NAAM ;Soort;PERSOON_ID\nJan Jansen;natuurlijk_persoon;P1\n');
    const items = await collect(readCsvSource(path, 'personen.csv', personen));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ ok: true, value: { line: 2, record: { persoon_id: 'P1', naam: 'Jan Jansen', land: 'NL' } } });
  });

  it('keeps extra columns as given', async () => {
    const items = await collect(readCsvSource(file('persoon_id,soort,naam,opmerking\nP1,natuurlijk_persoon,A B,zie dossier\n'), 'personen.csv', personen));
    expect(items[0]).toMatchObject({ ok: true, value: { extra: '{"opmerking":"zie dossier"}' } });
  });

  it('names a missing required column, and a duplicate header', async () => {
    await expect(collect(readCsvSource(file('persoon_id,naam\nP1,A\n'), 'personen.csv', personen))).rejects.toThrow(new InputError('personen.csv: required column "soort" missing from the header (found: persoon_id, naam)'));
    await expect(collect(readCsvSource(file('recht_id,soort_recht,persoon_id,ingangsdatum\n'), 'rechten.csv', rechten))).rejects.toThrow(/"vbo_id \(or postcode and huisnummer\)"/);
    await expect(collect(readCsvSource(file('persoon_id,soort,naam,Naam\n'), 'personen.csv', personen))).rejects.toThrow(/column "naam" appears twice/);
  });

  it('turns bad rows into rejects with file, line, column, value and reason', async () => {
    const path = file([
      'persoon_id,soort,naam,geboortedatum,kvk_nummer',
      'P1,natuurlijk_persoon,A,31-02-1980,',
      'P2,robot,B,,',
      'P3,niet_natuurlijk_persoon,,,',
      'P4,niet_natuurlijk_persoon,C BV,,1234',
      'P5,natuurlijk_persoon,D,15-06-1970',
      'P6,natuurlijk_persoon,E,1971-06-15,',
    ].join('\n'));
    const items = await collect(readCsvSource(path, 'personen.csv', personen));
    const rejects = items.filter((i) => !i.ok).map((i) => (i.ok ? null : i.reject));
    expect(rejects.map((r) => [r!.position, r!.column, r!.value, r!.reason])).toEqual([
      [2, 'geboortedatum', '31-02-1980', 'invalid-value'],
      [3, 'soort', 'robot', 'invalid-value'],
      [4, 'naam', null, 'missing-value'],
      [5, 'kvk_nummer', '1234', 'invalid-value'],
      [6, null, 'P5|natuurlijk_persoon|D|15-06-1970', 'ragged-row'],
    ]);
    expect(rejects[0]!.message).toBe('personen.csv line 2: geboortedatum "31-02-1980" is not a date (expected YYYY-MM-DD or DD-MM-YYYY)');
    const ok = items.filter((i) => i.ok);
    expect(ok).toHaveLength(1);
    expect(ok[0]).toMatchObject({ value: { record: { persoon_id: 'P6', geboortedatum: '1971-06-15' } } });
  });

  it('rejects a negative amount with its own reason, and accepts Dutch decimal and date forms', async () => {
    const { transacties } = await import('../src/sources/csv/csv-sources.ts');
    const path = file('transactie_id;vbo_id;datum;koopsom;koper_ids\nT1;0935010000000001;15-03-2024;1.250.000;A|B\nT2;0935010000000001;2024-03-15;-5;A\nT3;0935010000000001;2024-03-15;250000,50;A\n');
    const items = await collect(readCsvSource(path, 'transacties.csv', transacties));
    expect(items[0]).toMatchObject({ ok: true, value: { record: { datum: '2024-03-15', koopsom: 1_250_000, koper_ids: ['A', 'B'] } } });
    expect(items[1]).toMatchObject({ ok: false, reject: { reason: 'negative-amount', column: 'koopsom', value: '-5' } });
    expect(items[2]).toMatchObject({ ok: true, value: { record: { koopsom: 250000.5 } } });
  });
});
