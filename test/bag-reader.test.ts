import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import yauzl from 'yauzl';
import fc from 'fast-check';
import { cutRecords, type CutEvent, type RecordReader } from '../src/sources/bag/cut-records.ts';
import { innerZipBytes, readBag, type BagItem } from '../src/sources/bag/read-bag.ts';
import { decodeItems, encodeItems } from '../src/sources/bag/item-codec.ts';
import { parseFileBatches } from '../src/sources/bag/parse-file.ts';
import { xmlChunks } from '../src/sources/bag/xml-location.ts';
import type { VboVoorkomen } from '../src/sources/bag/bag-records.ts';
import type { ParseOutcome } from '../src/sources/bag/parse-bag-record.ts';
import type { XmlElement } from '../src/sources/bag/xml-record.ts';
import { FILE_FOOTER, fileHeader, oprXml, vboXml } from '../scripts/lvbag-xml.ts';
import { tempDir } from './helpers/mini-input.ts';

const SAMPLES = join(import.meta.dirname, '..', '..', 'shared', 'samples', 'bag');

async function read(dir: string): Promise<BagItem[]> {
  const out: BagItem[] = [];
  for await (const item of readBag(dir, join(dir, '..'))) out.push(item);
  return out;
}

function bagDir(files: Record<string, string>): string {
  const root = tempDir();
  mkdirSync(join(root, 'bag'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'bag', name), text);
  return join(root, 'bag');
}

/**
 * `bytes` in pieces of the given sizes, taken in turn (all at once where none are given): views of
 * `bytes`, or with `refill` copies into one buffer that each piece overwrites, as the reader reads a
 * file (and blanked at the end), so that a cutter keeping a view of a chunk past the next one would
 * cut other bytes than were read.
 */
async function* pieces(bytes: Buffer, sizes: readonly number[], refill = false): AsyncGenerator<Buffer> {
  const one = refill ? Buffer.alloc(Math.max(1, ...(sizes.length ? sizes : [bytes.length]))) : null;
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const n = Math.min(sizes.length ? sizes[k % sizes.length]! : bytes.length, bytes.length - at);
    const piece = bytes.subarray(at, at + n);
    at += n;
    if (one) { piece.copy(one); yield one.subarray(0, n); } else yield piece;
  }
  one?.fill(0);
}

const vbo = (id: string, extra: Partial<Parameters<typeof vboXml>[0]> = {}) =>
  vboXml({ id, voorkomen: 1, begin: '2000-01-01', hoofdadres: '0935200000000001', gebruiksdoelen: ['woonfunctie'], oppervlakte: 50, x: 1, y: 2, pand: '0935100000000001', ...extra });

describe('readBag on the real Kadaster samples', () => {
  it('reads every object type of the Doesburg extract, with ids as strings and all voorkomens', async () => {
    const items = await read(join(SAMPLES, 'nlextract-doesburg-0221'));
    const records = items.filter((i) => i.kind === 'record').map((i) => (i.kind === 'record' ? i.record : null)!);
    const count = (t: string) => records.filter((r) => r.type === t).length;
    expect([count('VBO'), count('NUM'), count('OPR'), count('WPL'), count('PND')]).toEqual([5, 15, 201, 1, 6]);
    const v = records.filter((r): r is VboVoorkomen => r.type === 'VBO' && r.id === '0221010000330226');
    expect(v.map((x) => [x.voorkomen, x.begin, x.eind])).toEqual([
      [1, '2011-09-06', '2019-01-15'], [2, '2019-01-15', '2019-03-27'], [3, '2019-03-27', '2019-11-19'], [4, '2019-11-19', null],
    ]);
    const multi = records.find((r): r is VboVoorkomen => r.type === 'VBO' && r.id === '0221010000330999')!;
    expect(multi.nevenadressen).toEqual(['0221200000330998', '0221200000330999']);
    expect(items.filter((i) => i.kind === 'reject')).toEqual([]);
    // Ligplaats and Standplaats are recognised and counted, not loaded.
    expect(items.filter((i) => i.kind === 'skipped' && i.count > 0).map((i) => (i.kind === 'skipped' ? i.what : ''))).toEqual([
      'Ligplaats (not used by the screen)', 'Standplaats (not used by the screen)',
    ]);
  });

  it('reads the Tilburg industriefunctie unit with its nevenadres', async () => {
    const items = await read(join(SAMPLES, 'gdal-tilburg-0855'));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'record', record: { type: 'VBO', id: '0855010000097676', gebruiksdoelen: ['industriefunctie'], hoofdadres: '0855200000037747', nevenadressen: ['0855200000106110'] } });
  });

  it('keeps in-onderzoek marks and counts inactief and niet-BAG files without loading them', async () => {
    const items = await read(join(SAMPLES, 'nlextract-9999-small'));
    const io = items.filter((i) => i.kind === 'record' && i.record.type === 'IO');
    expect(io).toHaveLength(40);
    expect(io[0]).toMatchObject({ record: { id: '0221010000318727', kenmerk: 'gebruiksdoel', inOnderzoek: true, begin: '1999-07-13', eind: '2011-06-30' } });
    expect(items).toContainEqual({ kind: 'skipped', file: 'nlextract-9999-small/nietbag/0221NBNUM15092020-000001.xml', what: 'niet-bag', count: 1 });
    expect(items.filter((i) => i.kind === 'reject')).toEqual([]);
  });

  it('matches elements by local name: other namespace prefixes read the same', async () => {
    const original = readFileSync(join(SAMPLES, 'gdal-tilburg-0855', 'vbo3.xml'), 'utf8');
    const renamed = original.replace(/(<\/?)Objecten:/g, '$1o:').replace(/xmlns:Objecten=/, 'xmlns:o=').replace(/(<\/?)sl:/g, '$1s:').replace(/xmlns:sl=/, 'xmlns:s=');
    const items = await read(bagDir({ 'vbo.xml': renamed }));
    expect(items[0]).toMatchObject({ kind: 'record', record: { id: '0855010000097676', gebruiksdoelen: ['industriefunctie'] } });
  });

  it('reads several gebruiksdoelen of one unit', async () => {
    const items = await read(bagDir({ 'v.xml': fileHeader('0935', 'VBO', '2026-01-01') + vbo('0935010000000001', { gebruiksdoelen: ['woonfunctie', 'winkelfunctie'] }) + FILE_FOOTER }));
    expect(items[0]).toMatchObject({ record: { gebruiksdoelen: ['winkelfunctie', 'woonfunctie'] } });
  });

  it('reads a gebruiksdoel given twice once', async () => {
    const items = await read(bagDir({ 'v.xml': fileHeader('0935', 'VBO', '2026-01-01') + vbo('0935010000000001', { gebruiksdoelen: ['woonfunctie', 'kantoorfunctie', 'woonfunctie'] }) + FILE_FOOTER }));
    expect(items[0]).toMatchObject({ record: { gebruiksdoelen: ['kantoorfunctie', 'woonfunctie'] } });
  });

  it('reads the point of a unit whatever white space separates its coordinates', async () => {
    const cases: [string, number | null, number | null][] = [
      ['176000.123 318000.5 0.0', 176000.123, 318000.5],
      ['176000 318000', 176000, 318000],
      ['176000\t318000\t0', 176000, 318000],
      ['176000  318000 0', 176000, 318000],
      ['176000 \n 318000', 176000, 318000],
      ['176000\n318000 0', 176000, 318000],
      ['176000 \t 318000', 176000, 318000],
      ['176000', 176000, null],
      ['x 318000', null, 318000],
      ['176000 y 0', 176000, null],
      // Plain decimals are read digit by digit, the rest by Number: the same numbers either way.
      ['-176000.25 -318000.125', -176000.25, -318000.125],
      ['.5 5.', 0.5, 5],
      ['0.1 0.7 0.0', 0.1, 0.7],
      ['1e3 +7', 1000, 7],
      ['123456789012.3456789 318000.000000000001', 123456789012.3456789, 318000.000000000001],
      ['- 318000', null, 318000],
      ['176000.5.5 318000', null, 318000],
    ];
    const xml = cases.map(([pos], i) => vbo(`09350100000000${String(i).padStart(2, '0')}`).replace(/<gml:pos>[^<]*<\/gml:pos>/, `<gml:pos>${pos}</gml:pos>`)).join('');
    const items = await read(bagDir({ 'v.xml': fileHeader('0935', 'VBO', '2026-01-01') + xml + FILE_FOOTER }));
    expect(items.map((it) => it.kind === 'record' && it.record.type === 'VBO' ? [it.record.x, it.record.y] : it))
      .toEqual(cases.map(([, x, y]) => [x, y]));
  });
});

describe('readBag on broken and hostile input', () => {
  const good = fileHeader('0935', 'VBO', '2026-01-01') + vbo('0935010000000001') + FILE_FOOTER;

  it('refuses a file with a DOCTYPE or entity declaration, naming it, and still reads the others', async () => {
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n<sl-bag-extract:bagStand xmlns:sl="x"><sl:stand>&lol2;</sl:stand></sl-bag-extract:bagStand>`;
    const xxe = good.replace('<sl-bag-extract:bagStand', '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<sl-bag-extract:bagStand');
    const items = await read(bagDir({ 'a-good.xml': good, 'b-bomb.xml': bomb, 'c-xxe.xml': xxe }));
    const rejects = items.filter((i) => i.kind === 'reject').map((i) => (i.kind === 'reject' ? i.reject : null)!);
    expect(rejects.map((r) => r.file)).toEqual(['bag/b-bomb.xml', 'bag/c-xxe.xml']);
    expect(rejects[0]!.message).toMatch(/refused: contains a DOCTYPE or entity declaration/);
    expect(items.filter((i) => i.kind === 'record')).toHaveLength(1);
  });

  it('reports a truncated file at the record where it ends, keeping the records before it', async () => {
    const two = fileHeader('0935', 'VBO', '2026-01-01') + vbo('0935010000000001') + vbo('0935010000000002');
    const truncated = two.slice(0, two.length - 200);
    const items = await read(bagDir({ 't.xml': truncated }));
    expect(items.filter((i) => i.kind === 'record')).toHaveLength(1);
    expect(items.find((i) => i.kind === 'reject')).toMatchObject({ reject: { position: 2, reason: 'invalid-xml', message: expect.stringMatching(/truncated/) } });
  });

  it('reports a wrong root element and an unknown object type per file and record', async () => {
    const wrongRoot = '<?xml version="1.0"?><Leveringsdocument><x/></Leveringsdocument>';
    const unknown = good.replace(/Objecten:Verblijfsobject>/g, 'Objecten:Ruimteschip>');
    const malformed = good.replace('<Objecten:oppervlakte>50</Objecten:oppervlakte>', '<Objecten:oppervlakte>50</Objecten:opp>');
    const items = await read(bagDir({ 'a.xml': wrongRoot, 'b.xml': unknown, 'c.xml': malformed, 'd.xml': good }));
    const rejects = items.filter((i) => i.kind === 'reject').map((i) => (i.kind === 'reject' ? i.reject : null)!);
    expect(rejects.map((r) => [r.file, r.position, r.reason])).toEqual([
      ['bag/a.xml', 0, 'invalid-xml'], ['bag/b.xml', 1, 'unknown-object-type'], ['bag/c.xml', 1, 'invalid-xml'],
    ]);
    expect(rejects[0]!.message).toContain('root element is "Leveringsdocument"');
    expect(items.filter((i) => i.kind === 'record')).toHaveLength(1);
  });

  it('reports a Pand with a broken polygon (a real Doesburg Pand with its ring cut open) and keeps the others', async () => {
    const original = readFileSync(join(SAMPLES, 'nlextract-doesburg-0221', '0221PND15092020-000001.xml'), 'utf8');
    // Drop the closing point of the first ring: the ring is no longer closed.
    const broken = original.replace(/ 206341\.621\s+447531\.645 0\.0\s*<\/gml:posList>/, '</gml:posList>');
    expect(broken).not.toBe(original);
    const items = await read(bagDir({ 'pnd.xml': broken }));
    const rejects = items.filter((i) => i.kind === 'reject').map((i) => (i.kind === 'reject' ? i.reject : null)!);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ position: 1, reason: 'invalid-xml', message: expect.stringContaining('Pand 0221100000312938: broken polygon (the ring is not closed)') });
    expect(items.filter((i) => i.kind === 'record')).toHaveLength(5);
  });

  it('makes a file that cannot be opened a reject of that file, not a crash', async () => {
    const dir = bagDir({});
    const out: BagItem[] = [];
    for await (const batch of parseFileBatches(xmlChunks({ kind: 'file', path: join(dir, 'gone.xml') }), 'bag/gone.xml', 'stand')) out.push(...batch);
    expect(out).toEqual([{ kind: 'reject', reject: expect.objectContaining({ file: 'bag/gone.xml', position: 0, reason: 'invalid-xml', message: expect.stringMatching(/^bag\/gone\.xml: could not be read: ENOENT/) }) }]);
  });

  it('keeps the leading zeros of every id', async () => {
    const items = await read(bagDir({ 'v.xml': good }));
    expect(items[0]).toMatchObject({ record: { id: '0935010000000001', hoofdadres: '0935200000000001', panden: ['0935100000000001'] } });
  });

  it('reads a file whose records straddle chunk boundaries', async () => {
    const many = fileHeader('0935', 'VBO', '2026-01-01') + Array.from({ length: 2500 }, (_, i) => vbo(`0935010000${String(i).padStart(6, '0')}`)).join('') + FILE_FOOTER;
    const items = await read(bagDir({ 'big.xml': many }));
    // Each record as it is in the file, read into one buffer refilled chunk by chunk (some thirty).
    expect(items.map((i) => (i.kind === 'record' ? (i.record as VboVoorkomen).id : i.kind)))
      .toEqual(Array.from({ length: 2500 }, (_, i) => `0935010000${String(i).padStart(6, '0')}`));
    expect(Buffer.byteLength(many)).toBeGreaterThan(20 * 120 * 1024);
  });

  it('cuts the same records however the bytes are chunked (close tags split across chunks included)', async () => {
    const records = Array.from({ length: 40 }, (_, i) => vbo(`0935010000${String(i).padStart(6, '0')}`, { oppervlakte: i }));
    records[7] = records[7]!.replace('<Objecten:oppervlakte>', '<!-- Zoë --><Objecten:oppervlakte>');
    const file = Buffer.from(fileHeader('0935', 'VBO', '2026-01-01') + records.join('') + FILE_FOOTER);
    const cut = async (sizes: number[], refill = false) => {
      const out: (Exclude<CutEvent, { kind: 'record' }> | { kind: 'record'; position: number; xml: string })[] = [];
      for await (const events of cutRecords(pieces(file, sizes, refill))) for (const ev of events) out.push(ev.kind === 'record' ? { ...ev, xml: ev.xml.toString('utf8') } : ev);
      return out;
    };
    const whole = await cut([]);
    expect(whole.filter((e) => e.kind === 'record')).toHaveLength(40);
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 4000 }), { minLength: 1, maxLength: 8 }), fc.boolean(), async (sizes, refill) => {
      expect(await cut(sizes, refill)).toEqual(whole);
    }), { numRuns: 60 });
    // Cut where a close tag is split between two chunks, at every split point of the tag.
    const close = file.indexOf('</sl:stand>', 5000);
    for (let k = 1; k < '</sl:stand>'.length; k++) expect(await cut([close + k, file.length])).toEqual(whole);
    // A truncated file: the last record is reported as broken whatever the chunking.
    const truncated = file.subarray(0, file.lastIndexOf('</sl:stand>'));
    const cutTruncated = async (n: number) => {
      const out: CutEvent['kind'][] = [];
      for await (const ev of cutRecords(pieces(truncated, [n]))) out.push(...ev.map((e) => e.kind));
      return out;
    };
    for (const n of [97, 1500, truncated.length]) expect(await cutTruncated(n)).toEqual(['root', ...Array(39).fill('record'), 'broken']);
  });

  it('cuts a record many chunks long once its end comes, as when read whole; one longer than 16 MB is reported and skipped', async () => {
    const long = vbo('0935010000000001').replace('<Objecten:oppervlakte>', `<Objecten:documentnummer>${'x'.repeat(300_000)}</Objecten:documentnummer><Objecten:oppervlakte>`);
    const file = Buffer.from(fileHeader('0935', 'VBO', '2026-01-01') + vbo('0935010000000000') + long + vbo('0935010000000002') + FILE_FOOTER);
    const cut = async (bytes: Buffer, sizes: number[], refill = false) => {
      const out: unknown[] = [];
      for await (const events of cutRecords(pieces(bytes, sizes, refill))) for (const ev of events) out.push(ev.kind === 'record' ? { position: ev.position, xml: ev.xml.toString('utf8') } : ev);
      return out;
    };
    const whole = await cut(file, []);
    expect(whole.filter((e) => (e as { xml?: string }).xml !== undefined)).toHaveLength(3);
    for (const sizes of [[1000, 777], [4096], [11, 120 * 1024]]) for (const refill of [false, true]) expect(await cut(file, sizes, refill)).toEqual(whole);
    // Past the limit the record is reported where its carried bytes pass 16 MB, and cutting goes on.
    const huge = vbo('0935010000000003').replace('<Objecten:oppervlakte>', `<Objecten:documentnummer>${'x'.repeat(16.5 * 1024 * 1024)}</Objecten:documentnummer><Objecten:oppervlakte>`);
    const hugeFile = Buffer.from(fileHeader('0935', 'VBO', '2026-01-01') + huge + vbo('0935010000000004') + FILE_FOOTER);
    const events = (await cut(hugeFile, [120 * 1024])) as { kind?: string; message?: string; xml?: string }[];
    expect(events.map((e) => e.kind ?? 'record')).toEqual(['root', 'broken', 'record']);
    expect(events[1]!.message).toBe('record is longer than 16777216 bytes; skipped');
    expect(events[2]!.xml).toContain('0935010000000004');
  });

  it('reads records in place as it cuts them exactly as cutting at the end tag and parsing after would, however chunked', async () => {
    const { parseBagRecord, readBagRecordAt } = await import('../src/sources/bag/parse-bag-record.ts');
    const records = Array.from({ length: 24 }, (_, i) => vbo(`0935010000${String(i).padStart(6, '0')}`, { oppervlakte: i }));
    const inside = (i: number, what: string) => { records[i] = records[i]!.replace('<Objecten:oppervlakte>', `${what}<Objecten:oppervlakte>`); };
    // What could hide an end tag from the parser but not from a search, and what is simply broken.
    inside(1, '<!-- </sl:stand> -->');
    inside(3, '<![CDATA[</sl:stand>]]>');
    inside(5, '<sl:stand>nested</sl:stand>');
    inside(7, '<sl:stand/>');
    inside(9, '<?pi </sl:stand>?>');
    records[11] = records[11]!.replace(/<\/sl:stand>(\s*)$/, '</sl:stand >$1'); // runs on to record 12's end
    records[13] = records[13]!.replace('</Objecten:oppervlakte>', '</Objecten:oppervlakt>');
    records[15] = records[15]!.replace('<sl:stand>', '<sl:stand a="1">');
    inside(17, '<Objecten:naam>Zoë &amp; Straße</Objecten:naam>');
    const file = Buffer.from(fileHeader('0935', 'VBO', '2026-01-01') + records.join('\n') + '<sl:stand/>' + FILE_FOOTER);
    const cut = async (sizes: number[], inPlace: boolean, refill = false) => {
      const out: unknown[] = [];
      let read = 0;
      // Read in place, a record's text is taken where the reader says it ends.
      const reader: RecordReader<{ xml: string; outcome: ParseOutcome }> = (bytes, start) => {
        const r = readBagRecordAt(bytes, start);
        return r && { value: { xml: bytes.b.toString('utf8', start, r.end), outcome: r.value }, end: r.end };
      };
      for await (const events of cutRecords(pieces(file, sizes, refill), inPlace ? reader : undefined)) {
        for (const ev of events) {
          if (ev.kind === 'read') { read++; out.push({ position: ev.position, ...ev.read }); continue; }
          if (ev.kind !== 'record') { out.push(ev); continue; }
          out.push({ position: ev.position, xml: ev.xml.toString('utf8'), outcome: parseBagRecord(ev.xml) });
        }
      }
      return { out, read };
    };
    const searched = await cut([], false);
    const whole = await cut([], true);
    expect(whole.out).toEqual(searched.out);
    // 23 records cut (11 and 12 as one); read in place all but the seven above that hide an end tag
    // or are broken, and the last one, whose tags come within a kilobyte of the end of the bytes
    // (where a tag might be cut off); and all but six of them mapped (the nested self-closing stand
    // is harmless).
    const cutOnes = searched.out.filter((e) => (e as { outcome?: unknown }).outcome !== undefined);
    expect(cutOnes).toHaveLength(23);
    expect(whole.read).toBe(15);
    // In chunks with room after every record that ends near a chunk's end or runs on into the next,
    // each is still read in place (joined with the next chunk's head), not cut and parsed alone.
    for (const refill of [false, true]) {
      const chunked = await cut([5000], true, refill);
      expect(chunked.out).toEqual(searched.out);
      expect(chunked.read).toBe(15);
    }
    expect(cutOnes.filter((e) => (e as { outcome: { ok: unknown } }).outcome.ok === true)).toHaveLength(17);
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }), fc.boolean(), async (sizes, refill) => {
      expect((await cut(sizes, true, refill)).out).toEqual(searched.out);
    }), { numRuns: 60 });
  });

  it('refuses a file with a declaration deep inside a record, past the first chunk, naming the file', async () => {
    const records = Array.from({ length: 2500 }, (_, i) => vbo(`0935010000${String(i).padStart(6, '0')}`));
    records[2000] = records[2000]!.replace('<Objecten:oppervlakte>', '<!ENTITY x "y"><Objecten:oppervlakte>');
    const items = await read(bagDir({ 'big.xml': fileHeader('0935', 'VBO', '2026-01-01') + records.join('') + FILE_FOOTER }));
    const rejects = items.filter((i) => i.kind === 'reject').map((i) => (i.kind === 'reject' ? i.reject : null)!);
    expect(rejects.map((r) => r.message)).toEqual([expect.stringMatching(/^bag\/big\.xml: refused: contains a DOCTYPE or entity declaration/)]);
    // The records before it were read; none after it.
    expect(items.filter((i) => i.kind === 'record')).toHaveLength(2000);
  });

  it('reads records whose tag has no namespace prefix, and comments and CDATA inside them', async () => {
    const plain = (fileHeader('0935', 'VBO', '2026-01-01') + vbo('0935010000000001') + vbo('0935010000000002') + FILE_FOOTER)
      .replace(/<(\/?)sl:stand>/g, '<$1stand>')
      .replace('<Objecten:oppervlakte>50</Objecten:oppervlakte>', '<!-- m² --><Objecten:oppervlakte><![CDATA[50]]></Objecten:oppervlakte>');
    const items = await read(bagDir({ 'plain.xml': plain }));
    expect(items.filter((i) => i.kind !== 'record')).toEqual([]);
    expect(items.map((i) => (i.kind === 'record' ? [i.record.id, (i.record as { oppervlakte?: number }).oppervlakte] : null))).toEqual([['0935010000000001', 50], ['0935010000000002', 50]]);
  });

  it('maps texts it hands on as bytes exactly as the strings they stand for: trimmed, in capitals, postcodes squeezed, dates of timestamps and Dutch dates', async () => {
    const { numXml } = await import('../scripts/lvbag-xml.ts');
    const num = (id: string, o: { postcode: string; huisletter?: string; toevoeging?: string; begin?: string; eind?: string; opr?: string }) =>
      numXml({ id, voorkomen: 1, begin: o.begin ?? '2000-01-01', eind: o.eind ?? null, postcode: o.postcode, huisnummer: 7, huisletter: o.huisletter ?? null, toevoeging: o.toevoeging ?? null, opr: o.opr ?? '0935300000000001' });
    const xml = fileHeader('0935', 'NUM', '2026-01-01') + [
      num('0935200000000001', { postcode: '1234AB', huisletter: 'A', toevoeging: 'BIS' }),
      num('0935200000000002', { postcode: '1234 ab', huisletter: 'a', toevoeging: 'bis' }),
      num('\n   0935200000000003 ', { postcode: ' 1234\tAB\n', begin: '2005-01-01T09:00:00.000', eind: ' 2010-02-28 ', opr: ' 0935300000000002\n' }),
      num('0935200000000004', { postcode: '1234AB', begin: '31-01-2005', eind: '2010-02-28T00:00:00' }),
      num('0935200000000005', { postcode: '1234AB', begin: '2005-02-30' }),
      num('0935200000000006', { postcode: '1234AB', eind: '2010-13-01' }),
      num('0935200000000007', { postcode: '1234AB', huisletter: 'ë', toevoeging: 'A&amp;b' }),
    ].join('') + FILE_FOOTER;
    const dir = bagDir({ 'num.xml': xml });
    for (const workers of [0, 1]) {
      const items: BagItem[] = [];
      for await (const item of readBag(dir, join(dir, '..'), workers)) items.push(item);
      const got = items.map((i) => (i.kind === 'record' && i.record.type === 'NUM' ? [i.record.id, i.record.postcode, i.record.huisletter, i.record.toevoeging, i.record.begin, i.record.eind, i.record.oprId] : i.kind === 'reject' ? i.reject.message : i.kind));
      expect(got, `${workers} threads`).toEqual([
        ['0935200000000001', '1234AB', 'A', 'BIS', '2000-01-01', null, '0935300000000001'],
        ['0935200000000002', '1234AB', 'A', 'BIS', '2000-01-01', null, '0935300000000001'],
        ['0935200000000003', '1234AB', null, null, '2005-01-01', '2010-02-28', '0935300000000002'],
        ['0935200000000004', '1234AB', null, null, '2005-01-31', '2010-02-28', '0935300000000001'],
        'bag/num.xml: record 5: Nummeraanduiding 0935200000000005: voorkomen has no valid beginGeldigheid',
        'bag/num.xml: record 6: Nummeraanduiding 0935200000000006: eindGeldigheid "2010-13-01" is not a date',
        ['0935200000000007', '1234AB', 'Ë', 'A&B', '2000-01-01', null, '0935300000000001'],
      ]);
    }
  });

  it('reads non-ASCII names exactly, also across chunk boundaries and next to character references', async () => {
    const names = ['Hôtelstraat', 'Ĳsselkade', 'Mühlenweg 𝄞', 'Caf&#233; &amp; Zoön', 'Straße'];
    const expected = ['Hôtelstraat', 'Ĳsselkade', 'Mühlenweg 𝄞', 'Café & Zoön', 'Straße'];
    // Thousands of names, so that multi-byte characters fall on the reader's chunk boundaries.
    const records = Array.from({ length: 3000 }, (_, i) => oprXml({ id: `0935300000${String(i).padStart(6, '0')}`, voorkomen: 1, begin: '2000-01-01', naam: `${names[i % 5]!}${'é'.repeat(i % 7)}`, wpl: '3333' })
      .replace(/Caf&amp;#233; &amp;amp; /, 'Caf&#233; &amp; '));
    const items = await read(bagDir({ 'opr.xml': fileHeader('0935', 'OPR', '2026-01-01') + records.join('') + FILE_FOOTER }));
    const got = items.filter((i) => i.kind === 'record').map((i) => (i as { record: { naam: string } }).record.naam);
    expect(got).toEqual(Array.from({ length: 3000 }, (_, i) => `${expected[i % 5]!}${'é'.repeat(i % 7)}`));
  });

  /** The Doesburg sample as an official zip: each file in a deflated zip of its own, those zips in `extract.zip`. */
  function officialZip(outer: 'stored' | 'deflated', depth: 2 | 3): string {
    const root = tempDir();
    cpSync(join(SAMPLES, 'nlextract-doesburg-0221'), join(root, 'files'), { recursive: true });
    execFileSync('python3', ['-c', `
import zipfile, os, io
src = ${JSON.stringify(join(root, 'files'))}
out = ${JSON.stringify(join(root, 'bag', 'extract.zip'))}
os.makedirs(os.path.dirname(out), exist_ok=True)
def inner_zips(z):
    for name in sorted(os.listdir(src)):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as iz:
            iz.write(os.path.join(src, name), name)
        z.writestr(name.replace('.xml', '.zip'), buf.getvalue())
with zipfile.ZipFile(out, 'w', zipfile.ZIP_${outer.toUpperCase()}) as z:
    if ${depth} == 2:
        inner_zips(z)
    else:
        mid = io.BytesIO()
        with zipfile.ZipFile(mid, 'w', zipfile.ZIP_STORED) as m:
            inner_zips(m)
        z.writestr('middle.zip', mid.getvalue())
`]);
    return join(root, 'bag');
  }

  for (const [outer, depth] of [['stored', 2], ['deflated', 2], ['stored', 3], ['deflated', 3]] as const) {
    it(`reads the same records from the official zip (zips nested ${depth} deep, outer zip ${outer})`, async () => {
      const fromZip = (await read(officialZip(outer, depth))).filter((i) => i.kind === 'record').map((i) => (i.kind === 'record' ? i.record : null));
      const fromFolder = (await read(join(SAMPLES, 'nlextract-doesburg-0221'))).filter((i) => i.kind === 'record').map((i) => (i.kind === 'record' ? i.record : null));
      expect(fromZip).toEqual(fromFolder);
    });
  }

  it('reads a compressed inner zip whose entries are not stored in name order in name order, and rejects a damaged one by name', async () => {
    // Outer zip deflated (so its inner zips are streamed); the inner zip's entries written in reverse.
    const root = tempDir();
    const file = (n: number) => fileHeader('0935', 'VBO', '2026-01-01') + vbo(`09350100000000${String(n).padStart(2, '0')}`) + FILE_FOOTER;
    mkdirSync(join(root, 'bag'));
    execFileSync('python3', ['-c', `
import zipfile, sys, io, json
files = json.loads(sys.argv[2])
def inner(names):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.writestr('0935VBO01012026-%06d.xml' % n, files[n - 1])
    return buf.getvalue()
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('0935VBO01012026.zip', inner([4, 3, 2, 1]))
    z.writestr('0935VBO01012027.zip', inner([5]))
`, join(root, 'bag', 'extract.zip'), JSON.stringify([1, 2, 3, 4, 5].map(file))]);
    const items = await read(join(root, 'bag'));
    expect(items.flatMap((i) => (i.kind === 'record' ? [`${i.file} ${i.record.id}`] : []))).toEqual([1, 2, 3, 4, 5].map((n) =>
      `bag/extract.zip!0935VBO0101202${n === 5 ? 7 : 6}.zip!0935VBO01012026-00000${n}.xml 09350100000000${String(n).padStart(2, '0')}`));
    expect(items.filter((i) => i.kind === 'reject')).toEqual([]);

    // The first inner zip's deflated bytes damaged: that zip is one reject, the other is read.
    const path = join(root, 'bag', 'extract.zip');
    const bytes = readFileSync(path);
    const header = bytes.indexOf(Buffer.from('PK\x03\x04', 'latin1'));
    const dataStart = header + 30 + bytes.readUInt16LE(header + 26) + bytes.readUInt16LE(header + 28);
    bytes[dataStart + (bytes.readUInt32LE(header + 18) >> 1)]! ^= 0x55;
    writeFileSync(path, bytes);
    const damaged = await read(join(root, 'bag'));
    expect(damaged.flatMap((i) => (i.kind === 'record' ? [i.record.id] : []))).toEqual(['0935010000000005']);
    expect(damaged.flatMap((i) => (i.kind === 'reject' ? [i.reject] : []))).toEqual([expect.objectContaining({
      file: 'bag/extract.zip!0935VBO01012026.zip', position: 0,
      message: expect.stringMatching(/^bag\/extract\.zip!0935VBO01012026\.zip: could not be read: not a readable zip: /),
    })]);
  });

  /**
   * A zip of two VBO files made with Python's zipfile (`method`: its name for the compression), the
   * second entry then damaged in place by `damage` (given the zip's bytes and the entry's data offset).
   */
  function zipWithTwoFiles(method: 'DEFLATED' | 'BZIP2' | 'STORED', damage?: (zip: Buffer, dataStart: number, dataSize: number) => void): string {
    const root = tempDir();
    const dir = join(root, 'bag');
    mkdirSync(dir);
    const file = (n: number) => fileHeader('0935', 'VBO', '2026-01-01') + vbo(`09350100000000${String(n).padStart(2, '0')}`) + FILE_FOOTER;
    const zipPath = join(dir, '0935VBO01012026.zip');
    execFileSync('python3', ['-c', `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_${method}) as z:
    z.writestr('0935VBO01012026-000001.xml', sys.argv[2])
    z.writestr('0935VBO01012026-000002.xml', sys.argv[3])
`, zipPath, file(1), file(2)]);
    if (damage) {
      const bytes = readFileSync(zipPath);
      const second = bytes.indexOf(Buffer.from('0935VBO01012026-000002.xml'));
      const header = second - 30;
      const dataStart = second + bytes.readUInt16LE(header + 26) + bytes.readUInt16LE(header + 28);
      damage(bytes, dataStart, bytes.readUInt32LE(header + 18));
      writeFileSync(zipPath, bytes);
    }
    return dir;
  }

  for (const workers of [0, 2]) {
    const readWith = async (dir: string) => { const out: BagItem[] = []; for await (const i of readBag(dir, join(dir, '..'), workers)) out.push(i); return out; };
    const ids = (items: BagItem[]) => items.flatMap((i) => (i.kind === 'record' ? [i.record.id] : []));
    const fileRejects = (items: BagItem[]) => items.flatMap((i) => (i.kind === 'reject' ? [i.reject] : []));

    it(`marks a damaged zip entry with a reject of the file, with why, and reads the rest (${workers} parser threads)`, async () => {
      for (const method of ['STORED', 'DEFLATED'] as const) {
        // A changed byte in the middle of the data: the CRC-32 tells at the end (a deflated entry may
        // fail to inflate before). What the damage did to the records themselves depends on the byte.
        const items = await readWith(zipWithTwoFiles(method, (zip, start, size) => { zip[start + (size >> 1)]! ^= 0x20; }));
        expect(ids(items)[0]).toBe('0935010000000001');
        const rejects = fileRejects(items).filter((r) => r.position === 0);
        expect(rejects).toHaveLength(1);
        expect(rejects[0]).toMatchObject({ file: 'bag/0935VBO01012026.zip!0935VBO01012026-000002.xml', reason: 'invalid-xml' });
        expect(rejects[0]!.message).toMatch(method === 'STORED' ? /could not be read: the zip entry is damaged \(its CRC-32 does not match\)/ : /could not be read: /);
      }
    });

    it(`marks a zip entry shorter than its directory says (${workers} parser threads)`, async () => {
      // The inflated size in the central directory (offset 24 of its header) one larger than the data.
      const dir = zipWithTwoFiles('DEFLATED');
      const path = join(dir, '0935VBO01012026.zip');
      const bytes = readFileSync(path);
      const central = bytes.lastIndexOf(Buffer.from('0935VBO01012026-000002.xml')) - 46;
      bytes.writeUInt32LE(bytes.readUInt32LE(central + 24) + 1, central + 24);
      writeFileSync(path, bytes);
      const rejects = fileRejects(await readWith(dir));
      expect(rejects.map((r) => r.message)).toEqual([expect.stringMatching(/000002\.xml: could not be read: the zip entry holds \d+ bytes, not the \d+ its directory gives/)]);
    });

    it(`refuses a file that is not a readable zip with a reject of its own, and reads the other files (${workers} parser threads)`, async () => {
      const dir = zipWithTwoFiles('DEFLATED');
      writeFileSync(join(dir, '0935NUM01012026.zip'), readFileSync(join(dir, '0935VBO01012026.zip')).subarray(0, 200));
      const items = await readWith(dir);
      expect(ids(items)).toEqual(['0935010000000001', '0935010000000002']);
      expect(fileRejects(items)).toEqual([expect.objectContaining({
        file: 'bag/0935NUM01012026.zip', position: 0, reason: 'invalid-xml',
        message: expect.stringMatching(/^bag\/0935NUM01012026\.zip: could not be read: not a readable zip: End of central directory record signature not found/),
      })]);
    });

    it(`refuses a zip entry of a compression method it does not read, by name (${workers} parser threads)`, async () => {
      const items = await readWith(zipWithTwoFiles('BZIP2'));
      expect(ids(items)).toEqual([]);
      expect(fileRejects(items).map((r) => r.message)).toEqual([1, 2].map((n) =>
        `bag/0935VBO01012026.zip!0935VBO01012026-00000${n}.xml: could not be read: the zip entry uses compression method 12; only stored and deflated are read`));
    });

    it(`reads a zip's entries as the folder's files, inflated on the parser threads (${workers} parser threads)`, async () => {
      const fromZip = await readWith(zipWithTwoFiles('DEFLATED'));
      expect(ids(fromZip)).toEqual(['0935010000000001', '0935010000000002']);
      expect(fileRejects(fromZip)).toEqual([]);
    });
  }

  it('reads an inner zip stored in the outer one in place, as a range of the file, not into memory', async () => {
    const zipPath = join(officialZip('stored', 2), 'extract.zip');
    const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
    const entries: yauzl.Entry[] = [];
    await new Promise<void>((resolve, reject) => { zip.on('entry', (e: yauzl.Entry) => { entries.push(e); zip.readEntry(); }); zip.on('end', resolve); zip.on('error', reject); zip.readEntry(); });
    const first = entries.sort((a, b) => (a.fileName < b.fileName ? -1 : 1))[0]!;
    const bytes = await innerZipBytes(zip, { path: zipPath, base: 0 }, first);
    zip.close();
    expect(bytes).toMatchObject({ path: zipPath, size: first.compressedSize });
    const { base } = bytes as { base: number };
    expect(readFileSync(zipPath).subarray(base, base + 4).readUInt32LE(0)).toBe(0x04034b50); // the inner zip's first local header
  });
});

describe('parseXmlRecord', () => {
  it('reads elements by local name, with text, nested children and self-closing elements', async () => {
    const { parseXmlRecord, path, textOf } = await import('../src/sources/bag/xml-record.ts');
    const el = parseXmlRecord('<sl:stand><a:obj x="1"><a:id>0935</a:id><b:leeg/><a:naam>Caf&#233; &amp; Co</a:naam></a:obj></sl:stand>');
    expect(el.name).toBe('stand');
    expect(el.children.map((c) => c.name)).toEqual(['obj']);
    expect(path(el, 'obj')!.children.map((c) => c.name)).toEqual(['id', 'leeg', 'naam']);
    expect(textOf(path(el, 'obj', 'naam'))).toBe('Café & Co');
    expect(path(el, 'obj', 'leeg')!.children).toEqual([]);
    // Deeper than the room the parser makes at once for open elements (24), and back out.
    const names = Array.from({ length: 60 }, (_, i) => `a:e${i}`);
    const deep = parseXmlRecord(`<sl:stand>${names.map((n) => `<${n}>`).join('')}diep${[...names].reverse().map((n) => `</${n}>`).join('')}<a:na>1</a:na></sl:stand>`);
    expect(textOf(path(deep, ...names.map((n) => n.slice(2))))).toBe('diep');
    expect(textOf(path(deep, 'na'))).toBe('1');
    expect(() => parseXmlRecord(`<sl:stand>${names.map((n) => `<${n}>`).join('')}${names.map((n) => `</${n}>`).join('')}</sl:stand>`)).toThrow('end tag </a:e0> does not match <a:e59>');
  });

  it('refuses what is not well-formed, naming the tags and the line', async () => {
    const { parseXmlRecord } = await import('../src/sources/bag/xml-record.ts');
    const bad: [string, RegExp][] = [
      ['<sl:stand><a:x>1</a:y></sl:stand>', /end tag <\/a:y> does not match <a:x> at line 1/],
      ['<sl:stand><a:x>1</a:xx></sl:stand>', /end tag <\/a:xx> does not match <a:x>/],
      ['<sl:stand><a:xx>1</a:x></sl:stand>', /end tag <\/a:x> does not match <a:xx>/],
      ['<sl:stand>\n<a:x>1</a:x>', /element <sl:stand> is never closed/],
      ['<sl:stand/><sl:stand/>', /a second top-level element <sl:stand>/],
      ['<sl:stand><a:x b=1/></sl:stand>', /unquoted attribute value in <a:x at line 1/],
      ['<sl:stand></sl:stand >x', /text outside the record element/],
      ['<sl:stand><a:x>1</a:x</sl:stand>', /malformed end tag <\/a:x/],
    ];
    for (const [xml, message] of bad) expect(() => parseXmlRecord(xml), xml).toThrow(message);
  });

  it('reads each tag by its own name when records repeat a sequence of tags and then depart from it', async () => {
    const { parseXmlRecord } = await import('../src/sources/bag/xml-record.ts');
    const names = (xml: string) => {
      const out: string[] = [];
      const walk = (e: XmlElement) => { out.push(e.name); for (const c of e.children) walk(c); };
      walk(parseXmlRecord(xml));
      return out.join(' ');
    };
    // The parser guesses each start tag from the one before it last time; every guess below is wrong
    // in another way: a longer name with the guess as prefix, a shorter one, another prefix, the
    // record's end right after the guessed name, and a self-closing tag in place of an open one.
    for (let round = 0; round < 2; round++) {
      expect(names('<s:stand><a:naam>x</a:naam><a:id/></s:stand>')).toBe('stand naam id');
      expect(names('<s:stand><a:naamX>x</a:naamX><a:id/></s:stand>')).toBe('stand naamX id');
      expect(names('<s:stand><a:na>x</a:na><a:id/></s:stand>')).toBe('stand na id');
      expect(names('<s:stand><b:naam>x</b:naam><a:naam/></s:stand>')).toBe('stand naam naam');
      expect(() => parseXmlRecord('<s:stand><a:naam')).toThrow(/malformed start tag <a:naam at line 1/);
      expect(names('<s:stand><a:naam/><a:id>1</a:id></s:stand>')).toBe('stand naam id');
    }
  });

  it('compares tag names in full whatever their length, a word of eight bytes at a time and the tail as the last eight: any byte that differs counts', async () => {
    const { parseXmlRecord } = await import('../src/sources/bag/xml-record.ts');
    // 4-49 bytes: byte by byte below eight; one to six words, in fields of their own up to three and
    // from an array beyond; a tail of 0-7 bytes read as the name's last eight (overlapping a word).
    const base = 'Hi:storietijdstipRegistratieLVabcdefghijklmnopqrstuvw';
    for (let len = 4; len <= 49; len++) {
      const long = base.slice(0, len);
      const other = (i: number) => long.slice(0, i) + (long[i] === 'X' ? 'Y' : 'X') + long.slice(i + 1);
      const names = (xml: string) => {
        const out: string[] = [];
        const walk = (e: XmlElement) => { out.push(e.name); for (const c of e.children) walk(c); };
        walk(parseXmlRecord(xml));
        return out.join(' ');
      };
      for (let i = 0; i < long.length; i++) {
        if (long[i] === ':') continue;
        // An end tag that differs from its start tag in byte i.
        expect(() => parseXmlRecord(`<sl:stand><${long}>1</${other(i)}></sl:stand>`), `byte ${i}`).toThrow(`end tag </${other(i)}> does not match <${long}>`);
        // A start tag that differs from the guess (the tag that came there last time) in byte i.
        expect(names(`<sl:stand><a:id/><${long}>1</${long}></sl:stand>`)).toBe(`stand id ${long.split(':')[1]}`);
        expect(names(`<sl:stand><a:id/><${other(i)}>1</${other(i)}></sl:stand>`), `byte ${i}`).toBe(`stand id ${other(i).split(':').at(-1)}`);
      }
    }
  });

  it('skips white space of any length and mix between tags and around texts, eight spaces a load or one byte at a time', async () => {
    const { parseXmlRecord, path, textOf } = await import('../src/sources/bag/xml-record.ts');
    for (let k = 0; k <= 40; k++) {
      const spaces = ' '.repeat(k);
      const mixed = Array.from({ length: k }, (_, i) => (i % 11 === 3 ? '\t' : i % 7 === 0 ? '\n' : ' ')).join('');
      for (const ws of [spaces, `\n${spaces}`, `${spaces}\r\n`, mixed]) {
        const xml = `<sl:stand>${ws}<a:obj>${ws}<a:id>${ws}0935${ws}</a:id>${ws}<a:naam>N${ws}M</a:naam>${ws}</a:obj>${ws}</sl:stand>${ws}`;
        const el = parseXmlRecord(xml);
        expect(path(el, 'obj')!.children.map((c) => c.name), `${k} ${JSON.stringify(ws)}`).toEqual(['id', 'naam']);
        expect(textOf(path(el, 'obj', 'id'))).toBe('0935');
        expect(textOf(path(el, 'obj', 'naam'))).toBe(`N${ws}M`);
        // Text after white space is still text, wherever the white space ends.
        expect(() => parseXmlRecord(`<sl:stand>${ws}x<a:obj/></sl:stand>`)).not.toThrow();
        expect(() => parseXmlRecord(`<sl:stand><a:obj/></sl:stand>${ws}x`)).toThrow(/text outside the record element/);
      }
    }
  });

  it('leaves ignored elements and all inside them out of the tree, and still checks them', async () => {
    const { parseXmlRecord, path, textOf } = await import('../src/sources/bag/xml-record.ts');
    const ignore = new Set(['doc', 'tijd']);
    const xml = '<sl:stand><a:obj><a:doc><a:nr>7</a:nr><a:tijd>x</a:tijd></a:doc><a:id>0935</a:id><b:tijd>12:00</b:tijd><a:naam>N<a:tijd>t</a:tijd>M</a:naam></a:obj></sl:stand>';
    const el = parseXmlRecord(xml, ignore);
    expect(path(el, 'obj')!.children.map((c) => c.name)).toEqual(['id', 'naam']);
    expect(textOf(path(el, 'obj', 'naam'))).toBe('NM');
    // The same record read whole: nothing else differs.
    const whole = parseXmlRecord(xml);
    expect(path(whole, 'obj')!.children.map((c) => c.name)).toEqual(['doc', 'id', 'tijd', 'naam']);
    expect(textOf(path(whole, 'obj', 'doc', 'nr'))).toBe('7');
    // A second parse with another set: what is ignored is decided per call, not remembered.
    expect(path(parseXmlRecord(xml, new Set(['nr'])), 'obj', 'doc')!.children.map((c) => c.name)).toEqual(['tijd']);
    const bad: [string, RegExp][] = [
      ['<sl:stand><a:doc><a:nr>1</a:x></a:doc></sl:stand>', /end tag <\/a:x> does not match <a:nr>/],
      ['<sl:stand><a:doc><a:nr>&bogus;</a:nr></a:doc></sl:stand>', /unknown entity "&bogus;"/],
      ['<sl:stand><a:doc><a:nr b=1/></a:doc></sl:stand>', /unquoted attribute value in <a:nr/],
      ['<sl:stand><a:doc><!DOCTYPE x></a:doc></sl:stand>', /declaration "<!" \(DOCTYPE or ENTITY\)/],
    ];
    for (const [bx, message] of bad) expect(() => parseXmlRecord(bx, ignore), bx).toThrow(message);
  });

  it('reads markup it has met before as a run exactly as it reads it tag by tag, whatever the records and however they depart from the runs it keeps', async () => {
    const { fullText, parseRecordAt, viewOf, withoutRuns, withoutSteps } = await import('../src/sources/bag/xml-record.ts');
    type Tree = { name: string; text: string; children: Tree[] };
    const plain = (e: XmlElement): Tree => ({ name: e.name, text: fullText(e), children: e.children.map(plain) });
    // Few names, texts, attributes and kinds of white space, so that records repeat each other's
    // markup in part (the runs kept after a tag are met again, and departed from).
    const name = fc.constantFrom('a:id', 'a:naam', 'Objecten:identificatie', 'b:x', 'Historie:beginGeldigheid', 'doc');
    const ws = fc.constantFrom('', '', ' ', '\n    ', '\t');
    const attr = fc.constantFrom('', '', ' d="1"', ' d="2"', " e='x'");
    // A record's shape, with \u0001 where a text goes (filled in per record).
    const { tree } = fc.letrec<{ tree: string }>((tie) => ({
      tree: fc.tuple(name, attr, ws, fc.oneof({ depthSize: 'small' }, fc.constant('\u0001'), fc.array(tie('tree'), { maxLength: 3 })), fc.boolean()).map(([n, a, w, inner, empty]) => (
        typeof inner === 'string' ? (empty ? `<${n}${a}/>` : `<${n}${a}>${inner}</${n}>`) : `<${n}${a}>${inner.map((c) => w + c).join('')}${w}</${n}>`)),
    }));
    const shape = fc.tuple(fc.array(tree, { minLength: 1, maxLength: 3 }), ws).map(([children, w]) => `<sl:stand>${children.map((c) => w + c).join('')}${w}</sl:stand>`);
    const text = fc.constantFrom('', '1', '0935', 'Zoë', 'a &amp; b', '  ', 'x y', 'x &bogus; y');
    // Now and then something that reading tag by tag refuses or leaves to the cutter.
    const spoil = fc.constantFrom('', '', '', '', '', '', '</b:y>', '<!-- c -->', '<sl:stand>', '<b:x>', 'tekst', '<a:id/>');
    const record = (shapes: string[]) => fc.tuple(fc.nat(shapes.length - 1), fc.array(text, { minLength: 12, maxLength: 12 }), spoil, fc.nat()).map(([k, texts, bad, at]) => {
      let t = 0;
      const xml = shapes[k]!.replace(/\u0001/g, () => texts[t++ % texts.length]!);
      const cut = at % (xml.length - 10) + 10; // after <sl:stand>
      return xml.slice(0, cut) + bad + xml.slice(cut);
    });
    // A few shapes, many records of them: the runs kept after a tag are met again, and departed from.
    const file = fc.array(shape, { minLength: 1, maxLength: 4 }).chain((shapes) => fc.tuple(fc.array(record(shapes), { minLength: 1, maxLength: 40 }), fc.constantFrom(0, 600, 2000)));
    const ignore = new Set(['doc']);
    await fc.assert(fc.asyncProperty(file, async ([records, tail]) => {
      const xml = `<r>${records.join('\n')}${' '.repeat(tail)}</r>`;
      const view = viewOf(Buffer.from(xml));
      for (let start = view.b.indexOf('<sl:stand>'); start !== -1; start = view.b.indexOf('<sl:stand>', start + 1)) {
        const read = (r: ReturnType<typeof parseRecordAt>) => r && { tree: plain(r.element), end: r.end };
        // By steps where the record follows a path learnt (see Step), else by runs; by runs alone; tag by tag.
        const bySteps = read(parseRecordAt(view, start, ignore));
        expect(bySteps).toEqual(withoutSteps(() => read(parseRecordAt(view, start, ignore))));
        expect(bySteps).toEqual(withoutRuns(() => read(parseRecordAt(view, start, ignore))));
      }
    }), { numRuns: 300 });
  });
});

describe('parseRecordAt by steps', () => {
  it('reads a record of a shape met before as the same tree with its own texts, and departs from it where the record does', async () => {
    const { fullText, parseRecordAt, path, textOf, viewOf, withoutRuns } = await import('../src/sources/bag/xml-record.ts');
    type Tree = { name: string; text: string; children: Tree[] };
    const plain = (e: XmlElement): Tree => ({ name: e.name, text: fullText(e), children: e.children.map(plain) });
    const ignore = new Set(['documentnummer']);
    const records = [
      vbo('0935010000000001'), vbo('0935010000000002', { oppervlakte: 61 }), vbo('0935010000000003', { x: 7 }), vbo('0935010000000004'),
      vbo('0935010000000005', { nevenadressen: ['0935200000000009'] }), // an element more
      vbo('0935010000000006', { status: ' ' }), // a blank where a text was
      vbo('0935010000000007', { status: 'A &amp; B' }), vbo('0935010000000008', { status: 'Zoë' }), // references, non-ASCII
      vbo('0935010000000009', { status: 'x &bogus; y' }), // refused: the record is cut and read alone
      vbo('0935010000000010'),
    ];
    const view = viewOf(Buffer.from(`<r>${records.join('')}${' '.repeat(2000)}</r>`));
    const starts: number[] = [];
    for (let at = view.b.indexOf('<sl:stand>'); at !== -1; at = view.b.indexOf('<sl:stand>', at + 1)) starts.push(at);
    const trees: XmlElement[] = [];
    for (const start of starts) {
      const r = parseRecordAt(view, start, ignore);
      const expected = withoutRuns(() => { const w = parseRecordAt(view, start, ignore); return w && { tree: plain(w.element), end: w.end }; });
      expect(r && { tree: plain(r.element), end: r.end }, `record at ${start}`).toEqual(expected);
      if (r) trees.push(r.element);
    }
    expect(trees).toHaveLength(records.length - 1); // all but the refused one
    // The second record of the shape, read by runs alone, is learnt; those after it are read by its
    // steps: the same tree, each with its own texts (compared above).
    expect(trees[1]).not.toBe(trees[0]);
    expect(trees[2]).toBe(trees[1]);
    expect(trees[3]).toBe(trees[1]);
    // Texts with references or bytes above 127 change nothing of the shape; the last record follows
    // the steps again after the others departed from them.
    for (const k of [6, 7, 8]) expect(trees[k]).toBe(trees[1]);
    for (const k of [4, 5]) expect(trees[k]).not.toBe(trees[1]);
    // The tree kept lets go of the bytes when the next record is read: it holds no chunk of a file.
    const last = trees.at(-1)!;
    expect(textOf(path(last, 'bagObject', 'Verblijfsobject', 'identificatie'))).toBe('0935010000000010');
    parseRecordAt(viewOf(Buffer.from(`${vbo('0935010000000011')}${' '.repeat(2000)}`)), 0, ignore);
    const spans: XmlElement[] = [];
    const walk = (e: XmlElement) => { if (e.src) spans.push(e); e.children.forEach(walk); };
    walk(last);
    expect(spans.map((e) => e.src!.b === view.b)).not.toContain(true);
  });

  it('keeps at most 16 ways on after a step: a record of a seventeenth shape is read the usual way, and read right', async () => {
    const { fullText, parseRecordAt, viewOf, withoutRuns } = await import('../src/sources/bag/xml-record.ts');
    type Tree = { name: string; text: string; children: Tree[] };
    const plain = (e: XmlElement): Tree => ({ name: e.name, text: fullText(e), children: e.children.map(plain) });
    const ignore = new Set<string>(); // a set of its own: what earlier tests learnt is not used
    // Twenty shapes that part at their first run (the attribute), each met twice in a row (the second
    // is learnt), then each once more.
    const rec = (k: number, t: string) => `<sl:stand><a:obj d="${k}"><a:id>${t}</a:id><a:naam>N${t}</a:naam></a:obj></sl:stand>`;
    const shapes = Array.from({ length: 20 }, (_, k) => k);
    const records = [...shapes.flatMap((k) => [rec(k, `${k}a`), rec(k, `${k}b`)]), ...shapes.map((k) => rec(k, `${k}c`))];
    const view = viewOf(Buffer.from(`<r>${records.join('\n')}${' '.repeat(2000)}</r>`));
    const trees: XmlElement[] = [];
    for (let at = view.b.indexOf('<sl:stand>'); at !== -1; at = view.b.indexOf('<sl:stand>', at + 1)) {
      const r = parseRecordAt(view, at, ignore)!;
      expect(plain(r.element)).toEqual(withoutRuns(() => plain(parseRecordAt(view, at, ignore)!.element)));
      trees.push(r.element);
    }
    const learnt = (k: number) => trees[2 * k + 1], third = (k: number) => trees[40 + k];
    for (const k of shapes) {
      if (k < 16) expect(third(k), `shape ${k}`).toBe(learnt(k));
      else expect(third(k), `shape ${k}`).not.toBe(learnt(k));
    }
  });
});

describe('BAG items between threads', () => {
  it('arrive from the parser threads exactly as parsed in this thread, for every object type, marks, counts and rejects', async () => {
    const dirs = ['nlextract-doesburg-0221', 'nlextract-9999-small', 'gdal-tilburg-0855'].map((d) => join(SAMPLES, d));
    const broken = bagDir({
      '0221VBO01012024-000001.xml': fileHeader + vbo('0221010000000001') + vbo('0221010000000002').replace('</Objecten:oppervlakte>', '') + FILE_FOOTER,
    });
    for (const dir of [...dirs, broken]) {
      const inThread: BagItem[] = [];
      for await (const item of readBag(dir, join(dir, '..'), 0)) inThread.push(item);
      const viaWorkers: BagItem[] = [];
      for await (const item of readBag(dir, join(dir, '..'), 2)) viaWorkers.push(item);
      expect(inThread.length).toBeGreaterThan(0);
      expect(viaWorkers).toStrictEqual(inThread);
    }
  });

  it('round-trip through their encoding unchanged', () => {
    const items: BagItem[] = [
      { kind: 'record', file: 'bag/a.xml', position: 3, record: { type: 'VBO', id: '0001010000000001', voorkomen: 2, begin: '2001-01-01', eind: null, status: 'Verblijfsobject in gebruik', gebruiksdoelen: ['winkelfunctie', 'woonfunctie'], oppervlakte: null, x: 1.5, y: null, hoofdadres: null, nevenadressen: ['0001200000000002'], panden: [] } },
      { kind: 'record', file: 'bag/a.xml', position: 4, record: { type: 'NUM', id: '0001200000000002', voorkomen: 1, begin: '2001-01-01', eind: '2002-01-01', status: null, postcode: '1234AB', huisnummer: 7, huisletter: null, toevoeging: 'BIS', oprId: '0001300000000001' } },
      { kind: 'record', file: 'bag/a.xml', position: 5, record: { type: 'OPR', id: '0001300000000001', voorkomen: 1, begin: '2001-01-01', eind: null, status: 'Naamgeving uitgegeven', naam: 'Straße & “Kade”', wplId: null } },
      { kind: 'record', file: 'bag/a.xml', position: 6, record: { type: 'WPL', id: '1234', voorkomen: 3, begin: '2001-01-01', eind: null, status: null, naam: 'Maastricht' } },
      { kind: 'record', file: 'bag/a.xml', position: 7, record: { type: 'PND', id: '0001100000000001', voorkomen: 1, begin: '2001-01-01', eind: null, status: 'Pand in gebruik', bouwjaar: null } },
      { kind: 'record', file: 'bag/a.xml', position: 8, record: { type: 'IO', id: '0001010000000001', kenmerk: 'gebruiksdoel', inOnderzoek: false, begin: '2001-01-01', eind: null } },
      { kind: 'reject', reject: { file: 'bag/a.xml', position: 9, column: null, value: null, reason: 'invalid-xml', message: 'bag/a.xml: record 9: broken' } },
      { kind: 'skipped', file: 'bag/a.xml', what: 'Ligplaats (not used by the screen)', count: 2 },
    ];
    expect(decodeItems(encodeItems('bag/a.xml', items))).toStrictEqual(items);
  });

  it('round-trip any texts, lists, numbers and nulls unchanged, in any mix', () => {
    // Texts of any code points ("|", empty, non-ASCII next to ASCII in one batch) and lists of any
    // length: the packed texts are cut by length, so no separator can collide with the data.
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const orNull = <T,>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
    const num = orNull(fc.double({ noNaN: true, noDefaultInfinity: true }));
    const g = { id: text, voorkomen: fc.integer({ min: 0, max: 2 ** 31 }), begin: text, eind: orNull(text), status: orNull(text) };
    const record = fc.oneof(
      fc.record({ type: fc.constant('VBO' as const), ...g, gebruiksdoelen: fc.array(text, { maxLength: 4 }), oppervlakte: num, x: num, y: num, hoofdadres: orNull(text), nevenadressen: fc.array(text, { maxLength: 3 }), panden: fc.array(text, { maxLength: 3 }) }, { noNullPrototype: true }),
      fc.record({ type: fc.constant('NUM' as const), ...g, postcode: orNull(text), huisnummer: num, huisletter: orNull(text), toevoeging: orNull(text), oprId: orNull(text) }, { noNullPrototype: true }),
      fc.record({ type: fc.constant('OPR' as const), ...g, naam: orNull(text), wplId: orNull(text) }, { noNullPrototype: true }),
      fc.record({ type: fc.constant('WPL' as const), ...g, naam: orNull(text) }, { noNullPrototype: true }),
      fc.record({ type: fc.constant('PND' as const), ...g, bouwjaar: num }, { noNullPrototype: true }),
      fc.record({ type: fc.constant('IO' as const), id: text, kenmerk: text, inOnderzoek: fc.boolean(), begin: text, eind: orNull(text) }, { noNullPrototype: true }),
    );
    const item = fc.oneof(
      { weight: 9, arbitrary: fc.record({ kind: fc.constant('record' as const), file: fc.constant('bag/b.xml'), position: fc.nat(), record }, { noNullPrototype: true }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('skipped' as const), file: fc.constant('bag/b.xml'), what: text, count: fc.nat() }, { noNullPrototype: true }) },
    );
    fc.assert(fc.property(fc.array(item, { maxLength: 40 }), (items) => {
      expect(decodeItems(encodeItems('bag/b.xml', items as BagItem[]))).toStrictEqual(items);
    }), { numRuns: 300 });
  });

  it('refuse a number or a text that would not come back as it went', () => {
    const rec = (bouwjaar: number): BagItem => ({ kind: 'record', file: 'f', position: 1, record: { type: 'PND', id: '1', voorkomen: 1, begin: '2001-01-01', eind: null, status: null, bouwjaar } });
    expect(() => encodeItems('f', [rec(NaN)])).toThrow(/number NaN/);
    expect(() => encodeItems('f', [rec(Infinity)])).toThrow(/number Infinity/);
    // Nor a text UTF-8 cannot carry (the parser, decoding UTF-8, never makes one).
    const named = (naam: string): BagItem => ({ kind: 'record', file: 'f', position: 1, record: { type: 'WPL', id: '1', voorkomen: 1, begin: '2001-01-01', eind: null, status: null, naam } });
    expect(() => encodeItems('f', [named('Maas\uD800tricht')])).toThrow(/lone surrogate/);
    expect(decodeItems(encodeItems('f', [named('Maas\uD83D\uDE00tricht')]))).toStrictEqual([named('Maas\uD83D\uDE00tricht')]);
  });
});
