/** Per input file: what was read, loaded, rejected (by reason) and deliberately skipped. */
export interface FileStats {
  file: string;
  read: number;
  loaded: number;
  rejected: Record<string, number>;
  skipped: Record<string, number>;
  encoding?: string;
  delimiter?: string;
}

export class InputStats {
  private readonly files = new Map<string, FileStats>();

  file(file: string): FileStats {
    let s = this.files.get(file);
    if (!s) {
      s = { file, read: 0, loaded: 0, rejected: {}, skipped: {} };
      this.files.set(file, s);
    }
    return s;
  }

  reject(file: string, reason: string, n = 1, alsoRead = true): void {
    const s = this.file(file);
    s.rejected[reason] = (s.rejected[reason] ?? 0) + n;
    if (alsoRead) s.read += n;
  }

  /** A loaded record later refused by a cross-file check: no longer loaded (its reject counts it). */
  unload(file: string, n = 1): void {
    this.file(file).loaded -= n;
  }

  all(): FileStats[] {
    return [...this.files.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }
}
