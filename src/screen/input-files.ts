/**
 * The files of an input folder with size and sha256, in a stable order: what a manifest records so an
 * auditor can check that a replay reads exactly the same bytes.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { sha256File } from '../util/hash.ts';

export interface InputFile { path: string; bytes: number; sha256: string }

export async function listInputFiles(inputDir: string): Promise<InputFile[]> {
  const out: InputFile[] = [];
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.push({ path: relative(inputDir, full).split(sep).join('/'), bytes: (await stat(full)).size, sha256: await sha256File(full) });
    }
  };
  await walk(inputDir);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
