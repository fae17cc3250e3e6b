import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cutEntries, innerStreamedZip, streamedZipEntries, type StreamedZip } from '../src/sources/bag/streamed-zip.ts';
import { tempDir } from './helpers/mini-input.ts';

/** A zip made by Python's zipfile: `files` in the order given, each deflated or stored as said. */
function pythonZip(files: Array<{ name: string; text: string; method: 'STORED' | 'DEFLATED' }>): Buffer {
  const path = join(tempDir(), 'z.zip');
  execFileSync('python3', ['-c', `
import zipfile, sys, json
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    for f in json.loads(sys.argv[2]):
        z.writestr(f['name'], f['text'].encode('utf-8'), getattr(zipfile, 'ZIP_' + f['method']))
`, path, JSON.stringify(files)]);
  return readFileSync(path);
}

/** The zip's bytes as a stream of chunks of `size` bytes: where entries and headers straddle chunks. */
function chunked(bytes: Buffer, size: number): StreamedZip {
  let passes = 0;
  return {
    open: () => {
      passes++;
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      return Readable.from(chunks);
    },
    get passes() { return passes; },
  } as StreamedZip & { passes: number };
}

const text = (n: number) => `<x>${'record '.repeat(n % 7 + 1)}${n} é</x>`;
const files = Array.from({ length: 40 }, (_, n) => ({ name: `f${String(n).padStart(3, '0')}.xml`, text: text(n), method: n % 3 ? 'DEFLATED' as const : 'STORED' as const }));

async function cutAll(zip: StreamedZip, tailBytes?: number): Promise<Record<string, string>> {
  const entries = await streamedZipEntries(zip, tailBytes);
  const out: Record<string, string> = {};
  for await (const { entry, bytes } of cutEntries(zip, entries.sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader))) {
    expect(bytes.byteLength).toBe(entry.compressedSize);
    expect(bytes.byteOffset).toBe(0); // a buffer of its own: it can be handed to a thread
    out[entry.fileName] = (entry.compressionMethod === 8 ? inflateRawSync(bytes) : Buffer.from(bytes)).toString('utf8');
  }
  return out;
}

describe('a zip read as a stream', () => {
  const bytes = pythonZip(files);
  const expected = Object.fromEntries(files.map((f) => [f.name, f.text]));

  it('lists the central directory from the tail of one pass and cuts every entry out of the next', async () => {
    const zip = chunked(bytes, 1 << 20) as StreamedZip & { passes: number };
    expect(await cutAll(zip)).toEqual(expected);
    expect(zip.passes).toBe(2);
  });

  it('reads the whole central directory in a second pass when the tail kept was too short for it', async () => {
    const zip = chunked(bytes, 64) as StreamedZip & { passes: number };
    expect(await cutAll(zip, 100)).toEqual(expected);
    expect(zip.passes).toBe(3);
  });

  it('cuts the same entries however the bytes are chunked', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: 5000 }), async (size, tail) => {
      expect(await cutAll(chunked(bytes, size), tail)).toEqual(expected);
    }), { numRuns: 40 });
  });

  it('says where a zip ends early, and that a stream which is not a zip is not one', async () => {
    await expect(streamedZipEntries(chunked(bytes.subarray(0, bytes.length - 10), 100))).rejects.toThrow(/end of central directory/i);
    const entries = await streamedZipEntries(chunked(bytes, 100));
    const cut = bytes.subarray(0, entries[5]!.relativeOffsetOfLocalHeader + 40);
    const got: string[] = [];
    await expect((async () => { for await (const { entry } of cutEntries(chunked(cut, 100), entries)) got.push(entry.fileName); })())
      .rejects.toThrow(/the zip ends at byte \d+, inside .*f005\.xml/);
    expect(got).toEqual(['f000.xml', 'f001.xml', 'f002.xml', 'f003.xml', 'f004.xml']);
  });

  it('refuses to cut an entry whose local header is not where the directory puts it', async () => {
    const entries = await streamedZipEntries(chunked(bytes, 100));
    const damaged = Buffer.from(bytes);
    damaged.writeUInt32LE(0, entries[1]!.relativeOffsetOfLocalHeader);
    await expect((async () => { for await (const _ of cutEntries(chunked(damaged, 100), entries)) void _; })())
      .rejects.toThrow('no local header where the directory puts f001.xml');
  });

  it('reads a zip inside a streamed zip as a streamed zip, its bytes checked against their CRC-32', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'inner.zip'), bytes);
    execFileSync('python3', ['-c', `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1] + '/outer.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('a.xml', b'x')
    z.write(sys.argv[1] + '/inner.zip', 'inner.zip')
`, dir]);
    const outerBytes = readFileSync(join(dir, 'outer.zip'));
    const outer = chunked(outerBytes, 333);
    const inner = (await streamedZipEntries(outer)).find((e) => e.fileName === 'inner.zip')!;
    expect(inner.compressionMethod).toBe(8);
    expect(await cutAll(innerStreamedZip(outer, inner))).toEqual(expected);
    // A byte changed inside the inner zip's deflated data: inflating or the CRC-32 finds it.
    outerBytes[inner.relativeOffsetOfLocalHeader + 30 + 'inner.zip'.length + (inner.compressedSize >> 1)]! ^= 0x55;
    await expect(cutAll(innerStreamedZip(chunked(outerBytes, 333), inner))).rejects.toThrow(/invalid|damaged|does not match|holds/i);
  });
});
