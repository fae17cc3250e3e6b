/**
 * A progress line for long stages, only when stderr is a terminal (never in logs or CI output):
 * `load-bag: 1.250.000 records`, rewritten in place at most a few times a second.
 */
export interface Progress { tick(n?: number): void; done(): void }

const NONE: Progress = { tick() {}, done() {} };

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return NONE;
  let count = 0;
  let last = 0;
  return {
    tick(n = 1) {
      count += n;
      const now = performance.now();
      if (now - last > 250) {
        last = now;
        stream.write(`\r${label}: ${count.toLocaleString('nl-NL')} records`);
      }
    },
    done() {
      if (last > 0) stream.write(`\r${label}: ${count.toLocaleString('nl-NL')} records\n`);
    },
  };
}
