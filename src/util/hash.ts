import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { filePieces } from './file-pieces.ts';

/** sha256 of a string or bytes, as lowercase hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * sha256 of a file, read in 1 MB pieces into one buffer (`filePieces`). A read stream allocates a
 * buffer per chunk and passes each through its machinery: this is three times faster (the 100k
 * bench's BAG, 360 MB: 1.9 -> 0.6 s), which at national scale is tens of seconds.
 */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of filePieces(path)) hash.update(piece);
  return hash.digest('hex');
}

/** Bytes {@link writeHashed} encodes text into before it writes them. */
const WRITE_BUFFER = 1 << 20;

/**
 * Writes a file given in pieces (text, or bytes as they are) and returns its sha256: the whole text is
 * never held, only about 1 MB of it at a time.
 *
 * Text is encoded straight into one buffer, made once per file and written whenever the next piece
 * would not fit (a piece larger than the buffer is encoded and written on its own), rather than
 * joining ~1 MB of pieces into a string and encoding that into a buffer of its own every megabyte:
 * writing the 4M bench's register.json standalone took 1.8-2.1 s so, 2.4-2.8 s joined.
 * Each piece is encoded on its own: a piece must not end inside a character (a surrogate pair split
 * between two pieces would become two replacement characters).
 */
export async function writeHashed(path: string, pieces: Iterable<string | Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  const buffer = Buffer.allocUnsafe(WRITE_BUFFER);
  let used = 0;
  const write = async (bytes: Uint8Array) => {
    hash.update(bytes);
    await file.write(bytes);
  };
  // Written before the buffer is filled again: the write has finished when the await returns.
  const flush = async () => {
    if (used) await write(buffer.subarray(0, used));
    used = 0;
  };
  try {
    for (const piece of pieces) {
      if (typeof piece !== 'string') {
        await flush();
        await write(piece);
        continue;
      }
      // A UTF-16 unit is three bytes of UTF-8 at most: where that much room is left, the piece fits;
      // only near the end of the buffer is it measured.
      if (piece.length * 3 > buffer.length - used) {
        const size = Buffer.byteLength(piece, 'utf8');
        if (size > buffer.length - used) {
          await flush();
          if (size > buffer.length) {
            await write(Buffer.from(piece, 'utf8'));
            continue;
          }
        }
      }
      used += buffer.write(piece, used, 'utf8');
    }
    await flush();
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}
