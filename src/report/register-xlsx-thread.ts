/**
 * register.xlsx written on a thread of its own, while the screening's thread saves the register and
 * writes the other files. exceljs takes about 65 µs of CPU an entry (0.7 s for the 11,059 entries of
 * the 1M bench), on a thread that would otherwise run it after the other files with the second core
 * idle. The sheets' cells are made here (cheap: string joins) and cross packed (`packed-rows.ts`); the
 * workbook comes back as bytes, the same bytes `registerXlsx` makes here.
 */
import { Worker } from 'node:worker_threads';
import type { Register } from '../../schemas/register.ts';
import { packRows, packedTransfer, type PackedRows } from '../load/packed-rows.ts';
import { workerCount } from '../util/worker-count.ts';
import { registerSheets, writeXlsx, type XlsxContent } from './register-xlsx.ts';

export type PackedXlsxContent = XlsxContent<PackedRows>;
export type XlsxThreadAnswer = { bytes: Uint8Array } | { error: string };

/**
 * Starts writing the register's workbook, on a worker thread (here, with VIB_PARSE_WORKERS=0: see
 * `workerCount`); the promise settles with the workbook's bytes.
 */
export function registerXlsxOnThread(register: Register): Promise<Buffer> {
  const content = registerSheets(register);
  if (workerCount() === 0) return writeXlsx(content);
  const packed: PackedXlsxContent = { peildatum: content.peildatum, sheets: content.sheets.map((s) => ({ ...s, rows: packRows([...s.rows]) })) };
  const worker = new Worker(new URL('./register-xlsx-worker-boot.mjs', import.meta.url));
  return new Promise<Buffer>((resolve, reject) => {
    worker.once('message', (m: XlsxThreadAnswer) => {
      if ('error' in m) reject(new Error(`register.xlsx: ${m.error}`));
      else resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`register.xlsx: the thread writing it stopped (exit code ${code})`)));
    worker.postMessage(packed, packed.sheets.flatMap((s) => packedTransfer(s.rows)));
  }).finally(() => worker.terminate());
}
