/**
 * The bench's XML figures: a plain record-boundary scan of the BAG files (the ceiling) and the reader
 * itself, reading and parsing every record with no database (the control).
 *
 * They run in a child process of their own ({@link measureReaderInChild}, in-child.ts), before the
 * screen, so that neither inherits the other's memory. In the bench's process, the control run before the screen made
 * link-parties slower (1M: 11.7-14.4 s in five of six runs, against 8.8-10.9 s in ten runs without
 * it), and the scan run after the screen read the page cache at 1.7-1.8 GB/s instead of 0.3-0.9: its
 * 14 MB buffers then came from memory the process had already touched, not fresh pages (twenty-eighth
 * session).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBagBatches } from '../sources/bag/read-bag.ts';
import { threadCpuSeconds, threadCpuSince } from '../util/thread-cpu.ts';
import { runInChild } from './in-child.ts';

export interface ReaderFigures {
  /** Records the scan counted (0 when there were no files to scan). */
  scanned: number;
  scanSeconds: number;
  /** Records the reader parsed. */
  parsed: number;
  parseSeconds: number;
  /** CPU seconds of every thread of the process while the reader ran. */
  parseCpuSeconds: number;
  /** CPU seconds of the thread that took the records (null where the OS does not say). */
  parseMainCpuSeconds: number | null;
  /** The peak RSS of the process that measured, in MB. */
  peakRssMb: number;
}

/** Scans `files` for record boundaries, then reads every record of `bagDir` (in `inputRoot`) with the reader. */
export async function measureReader(files: readonly string[], bagDir: string, inputRoot: string): Promise<ReaderFigures> {
  let t = performance.now();
  let scanned = 0;
  const marker = Buffer.from('<sl:stand>');
  for (const f of files) {
    const buf = readFileSync(f);
    for (let i = buf.indexOf(marker); i !== -1; i = buf.indexOf(marker, i + 1)) scanned++;
  }
  const scanSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = threadCpuSeconds();
  let parsed = 0;
  for await (const batch of readBagBatches(bagDir, inputRoot)) for (const item of batch) if (item.kind === 'record') parsed++;
  const parseSeconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    scanned, scanSeconds, parsed, parseSeconds,
    parseCpuSeconds: (cpu.user + cpu.system) / 1e6,
    parseMainCpuSeconds: threadCpuSince(main0),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/** {@link measureReader} in a child process (see in-child.ts); a failure there is an error here, with the child's message. */
export function measureReaderInChild(files: readonly string[], bagDir: string, inputRoot: string): ReaderFigures {
  return runInChild<ReaderFigures>(join(import.meta.dirname, 'measure-reader-child.ts'), { files, bagDir, inputRoot }, 'reader measurement');
}
