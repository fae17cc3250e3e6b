/**
 * Records the demo run in fixtures/demo/expected/: screens fixtures/demo with pipelines/demo.json
 * into a scratch database and copies the run folder here, with the input folder recorded relative to
 * it (`../input`). A test replays it, so any change that alters a result shows up and must be
 * recorded on purpose, in its own commit:
 *
 *   npm run record-demo
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPipeline, screenPipeline } from '../src/cli/screen.ts';
import { silentLogger } from '../src/log.ts';
import { stableJson } from '../src/util/stable-json.ts';

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'vib-record-'));
const result = await screenPipeline(loadPipeline(join(root, 'pipelines', 'demo.json')), { db: join(work, 'vib.sqlite'), out: join(work, 'out') }, silentLogger);
const target = join(root, 'fixtures', 'demo', 'expected');
rmSync(target, { recursive: true, force: true });
cpSync(result.runDir, target, { recursive: true });
const manifest = JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8'));
manifest.run.input_dir = '../input';
writeFileSync(join(target, 'manifest.json'), stableJson(manifest));
rmSync(work, { recursive: true, force: true });
process.stdout.write(`recorded ${result.runId} in fixtures/demo/expected (${result.register.entries.length} entries)\n`);
