import { createReadStream } from 'node:fs';

export type TextEncoding = 'utf8' | 'windows-1252';

export interface EncodingVerdict {
  encoding: TextEncoding;
  /** True when the file has NUL bytes: a binary file, whatever its name. */
  binary: boolean;
  bytes: number;
}

/**
 * Decides how a CSV file is encoded by reading it once: valid UTF-8 throughout (with or without BOM)
 * is UTF-8, anything else is Windows-1252 (what Dutch municipal exports use). A file with NUL bytes
 * is binary. Streams, so a large file costs no memory.
 */
export async function detectEncoding(path: string): Promise<EncodingVerdict> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let utf8 = true;
  let binary = false;
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    bytes += buf.length;
    if (buf.indexOf(0) !== -1) binary = true;
    if (utf8) {
      try {
        decoder.decode(buf, { stream: true });
      } catch {
        utf8 = false;
      }
    }
    if (binary) break;
  }
  if (utf8) {
    try {
      decoder.decode();
    } catch {
      utf8 = false;
    }
  }
  return { encoding: utf8 ? 'utf8' : 'windows-1252', binary, bytes };
}
