import type { Writer } from '../db/engine.ts';
import type { Reject } from '../sources/reject.ts';
import type { InputStats } from './input-stats.ts';

const COLUMNS = ['run_id', 'file', 'position', 'column_name', 'value', 'reason', 'message'] as const;

/** Stores rejects in batches and counts them per file and reason. */
export class RejectSink {
  private batch: unknown[][] = [];

  constructor(private readonly engine: Writer, private readonly runId: string, private readonly stats: InputStats) {}

  async add(r: Reject, countAsRead = true): Promise<void> {
    this.stats.reject(r.file, r.reason, 1, countAsRead);
    this.batch.push([this.runId, r.file, r.position, r.column, r.value, r.reason, r.message]);
    if (this.batch.length >= 1000) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const rows = this.batch;
    this.batch = [];
    await this.engine.insertRows('reject', COLUMNS, rows);
  }
}
