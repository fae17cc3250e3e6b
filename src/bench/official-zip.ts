/**
 * The bench's BAG in the form the Kadaster delivers the national extract: one outer zip
 * (`lvbag-extract-nl.zip`) holding a zip per object type (`9999VBO01102026.zip`, ...), each holding
 * that type's XML files deflated. The outer zip stores its inner zips as they are (`stored`, so the
 * reader reads them in place) or deflates them once more (`deflated`, so the reader can only stream
 * them). Made once from a generated input folder and cached beside it; the CSV files are hard links.
 */
import { copyFileSync, createWriteStream, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import yazl from 'yazl';

export type OuterZip = 'stored' | 'deflated';

async function writeZip(path: string, files: Array<{ path: string; name: string }>, compress: boolean): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const f of files) zip.addFile(f.path, f.name, { compress, mtime: new Date(Date.UTC(2026, 9, 1)) });
  zip.end();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  await once(out, 'close');
}

/**
 * The XML bytes inside a zip made here, kept beside it: the bench's MB/s are of XML, also when the
 * folder's XML files were deleted after the zip was made (the country's do not fit beside its database).
 */
const XML_BYTES = '.xml-bytes';

function xmlBytesOf(zipDir: string): number | null {
  const f = join(zipDir, XML_BYTES);
  return existsSync(f) ? Number(readFileSync(f, 'utf8')) : null;
}

/** The input folder `dir` with its `bag/` as the official zip; made when not made before. */
export async function officialZipInput(dir: string, outer: OuterZip): Promise<{ dir: string; cached: boolean; zipBytes: number; xmlBytes: number | null }> {
  const zipDir = `${dir}-zip-${outer}`;
  const zipPath = join(zipDir, 'bag', 'lvbag-extract-nl.zip');
  // Made from this very folder (its marker's text and time), or made anew.
  const from = `${readFileSync(join(dir, '.complete'), 'utf8')} ${statSync(join(dir, '.complete')).mtimeMs}`;
  if (existsSync(join(zipDir, '.complete')) && readFileSync(join(zipDir, '.complete'), 'utf8') === from) return { dir: zipDir, cached: true, zipBytes: statSync(zipPath).size, xmlBytes: xmlBytesOf(zipDir) };
  const tmp = `${zipDir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'bag'), { recursive: true });
  mkdirSync(join(tmp, 'inner'));
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    if (!f.isFile() || f.name === '.complete') continue;
    try { linkSync(join(dir, f.name), join(tmp, f.name)); } catch { copyFileSync(join(dir, f.name), join(tmp, f.name)); }
  }
  // Group the XML files by their name before the sequence number: 9999VBO01102026-000001.xml → 9999VBO01102026.
  const groups = new Map<string, string[]>();
  for (const name of readdirSync(join(dir, 'bag')).filter((n) => n.endsWith('.xml')).sort()) {
    const key = name.replace(/-\d+\.xml$/, '');
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  const inner = [...groups.keys()].sort().map((key) => ({ path: join(tmp, 'inner', `${key}.zip`), name: `${key}.zip`, files: groups.get(key)! }));
  // The per-type zips side by side: deflating runs on libuv's threads.
  await Promise.all(inner.map((z) => writeZip(z.path, z.files.map((name) => ({ path: join(dir, 'bag', name), name })), true)));
  await writeZip(join(tmp, 'bag', 'lvbag-extract-nl.zip'), inner, outer === 'deflated');
  rmSync(join(tmp, 'inner'), { recursive: true });
  const xmlBytes = inner.reduce((n, z) => n + z.files.reduce((m, name) => m + statSync(join(dir, 'bag', name)).size, 0), 0);
  writeFileSync(join(tmp, XML_BYTES), String(xmlBytes));
  writeFileSync(join(tmp, '.complete'), from);
  rmSync(zipDir, { recursive: true, force: true });
  renameSync(tmp, zipDir);
  return { dir: zipDir, cached: false, zipBytes: statSync(zipPath).size, xmlBytes };
}
