/**
 * Worker thread of `registerXlsxOnThread`: writes the one workbook it is sent and answers with its
 * bytes (handed over, not copied), or with the error's message.
 */
import { parentPort } from 'node:worker_threads';
import { unpackRows } from '../load/packed-rows.ts';
import { writeXlsx, type Cell } from './register-xlsx.ts';
import type { PackedXlsxContent, XlsxThreadAnswer } from './register-xlsx-thread.ts';

parentPort!.once('message', (content: PackedXlsxContent) => {
  const sheets = content.sheets.map((s) => ({ ...s, rows: unpackRows(s.rows) as Cell[][] }));
  writeXlsx({ peildatum: content.peildatum, sheets }).then(
    (bytes) => {
      // A Buffer may sit in a shared pool: hand over a buffer of its own.
      const own = new Uint8Array(bytes);
      parentPort!.postMessage({ bytes: own } satisfies XlsxThreadAnswer, [own.buffer as ArrayBuffer]);
    },
    (err: unknown) => parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) } satisfies XlsxThreadAnswer),
  );
});
