/**
 * The files of an input folder with size and sha256, in a stable order: what a manifest records so an
 * auditor can check that a replay reads exactly the same bytes.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { sha256Files } from '../util/hash-files.ts';

export interface InputFile { path: string; bytes: number; sha256: string }

export async function listInputFiles(inputDir: string): Promise<InputFile[]> {
  const found: { path: string; full: string; bytes: number }[] = [];
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) found.push({ path: relative(inputDir, full).split(sep).join('/'), full, bytes: (await stat(full)).size });
    }
  };
  await walk(inputDir);
  const hashes = await sha256Files(found.map((f) => f.full), found.map((f) => f.bytes));
  return found.map((f, i) => ({ path: f.path, bytes: f.bytes, sha256: hashes[i]! }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
