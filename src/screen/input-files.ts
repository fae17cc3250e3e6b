/**
 * The files of an input folder with size and sha256, in a stable order: what a manifest records so an
 * auditor can check that a replay reads exactly the same bytes.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sha256Files, type HashOptions } from '../util/hash-files.ts';

export interface InputFile { path: string; bytes: number; sha256: string }

/** `hashing`: how many threads hash, and a signal to stop them (see `sha256Files`). */
export async function listInputFiles(inputDir: string, hashing: Pick<HashOptions, 'maxThreads' | 'signal' | 'background'> = {}): Promise<InputFile[]> {
  const found: { path: string; full: string; bytes: number }[] = [];
  // Listed synchronously (a few hundred entries): the hashing then starts before this returns, and
  // goes on while the caller's thread runs database statements that give no turn to pending I/O.
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) found.push({ path: relative(inputDir, full).split(sep).join('/'), full, bytes: statSync(full).size });
    }
  };
  walk(inputDir);
  const hashes = await sha256Files(found.map((f) => f.full), found.map((f) => f.bytes), hashing);
  return found.map((f, i) => ({ path: f.path, bytes: f.bytes, sha256: hashes[i]! }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
