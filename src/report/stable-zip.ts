/**
 * Zip writers stamp every entry with the current time, so the same workbook written twice differs
 * in its bytes. This sets every entry's DOS date and time (local headers and central directory) to
 * 1980-01-01 00:00, so a register.xlsx depends only on its content. Walks the central directory; a
 * buffer that is not a well-formed zip is left as it is.
 *
 * In place: the buffer is the caller's, made for this (a national register's workbook is tens of MB,
 * and a copy of it came on top of the screen's peak memory).
 */
const EOCD = 0x06054b50;
const CDH = 0x02014b50;
const LFH = 0x04034b50;
const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;

export function stableZip(buf: Buffer): Buffer {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) { eocd = i; break; }
  }
  if (eocd === -1) return buf;
  // The central directory's headers first, all of them checked before any byte changes.
  const count = buf.readUInt16LE(eocd + 10);
  const headers: number[] = [];
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CDH) return buf;
    headers.push(p);
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  for (const h of headers) {
    buf.writeUInt16LE(0, h + 12);
    buf.writeUInt16LE(DOS_DATE_1980_01_01, h + 14);
    const local = buf.readUInt32LE(h + 42);
    if (local + 30 <= buf.length && buf.readUInt32LE(local) === LFH) {
      buf.writeUInt16LE(0, local + 10);
      buf.writeUInt16LE(DOS_DATE_1980_01_01, local + 12);
    }
  }
  return buf;
}
