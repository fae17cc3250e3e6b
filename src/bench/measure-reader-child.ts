/**
 * The child process of {@link measureReaderInChild}: reads its arguments as JSON on stdin and prints
 * its figures as JSON, or `{"error": message}` with exit code 1.
 */
import { readFileSync } from 'node:fs';
import { measureReader } from './measure-reader.ts';

try {
  const { files, bagDir, inputRoot } = JSON.parse(readFileSync(0, 'utf8')) as { files: string[]; bagDir: string; inputRoot: string };
  process.stdout.write(`${JSON.stringify(await measureReader(files, bagDir, inputRoot))}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: (err as Error).message })}\n`);
  process.exitCode = 1;
}
