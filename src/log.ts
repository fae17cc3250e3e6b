/**
 * Structured logs (pino, JSON on stderr): stage names, counts, timings and ids. Never names, birth
 * dates or addresses: callers log numbers and ids only.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream | number } = {}): Logger {
  const dest = options.destination ?? 2;
  return pino(
    { level: options.level ?? process.env.VIB_LOG_LEVEL ?? 'info', base: undefined },
    typeof dest === 'number' ? pino.destination({ fd: dest, sync: true }) : dest,
  );
}

/** A logger that drops everything (library use and tests). */
export const silentLogger: Logger = pino({ level: 'silent' });
