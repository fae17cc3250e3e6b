/**
 * Walks the hash chain of every pipeline's runs: each run's manifest names the sha256 of the previous
 * run's manifest, so a deleted or altered run breaks the chain. Also checks each run folder's
 * manifest and output files against the hashes the database recorded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database.ts';
import { sha256 } from '../util/hash.ts';
import { manifestCoreHash, readManifest } from './manifest.ts';

export interface ChainBreak { pipeline: string; run_id: string; problem: string }

export async function verifyChain(db: Db): Promise<{ runs: number; breaks: ChainBreak[] }> {
  const runs = await db.selectFrom('run').selectAll().where('finished_at', 'is not', null)
    .orderBy('pipeline').orderBy('started_at').orderBy('run_id').execute();
  const breaks: ChainBreak[] = [];
  // A purge removes old runs on purpose and records where each pipeline's chain now starts.
  const purgedHeads = new Set<string>();
  for (const p of await db.selectFrom('purge_log').select('chain_heads').execute()) {
    for (const h of Object.values(JSON.parse(p.chain_heads) as Record<string, string | null>)) if (h) purgedHeads.add(h);
  }
  let prev: { pipeline: string; hash: string | null } | null = null;
  for (const r of runs) {
    const expected = prev && prev.pipeline === r.pipeline ? prev.hash : null;
    const afterPurge = expected === null && r.prev_manifest_sha256 !== null && purgedHeads.has(r.prev_manifest_sha256);
    if (r.prev_manifest_sha256 !== expected && !afterPurge) {
      breaks.push({
        pipeline: r.pipeline, run_id: r.run_id,
        problem: expected === null
          ? `refers to a previous run (manifest ${r.prev_manifest_sha256?.slice(0, 12)}…) that is not in the database: a run was deleted`
          : r.prev_manifest_sha256 === null ? 'does not refer to the previous run' : `refers to manifest ${r.prev_manifest_sha256?.slice(0, 12)}…, but the previous run's is ${expected.slice(0, 12)}…: a run was deleted or altered`,
      });
    }
    if (!r.run_dir || !existsSync(join(r.run_dir, 'manifest.json'))) {
      breaks.push({ pipeline: r.pipeline, run_id: r.run_id, problem: `run folder ${r.run_dir ?? '(none)'} is missing` });
    } else {
      const m = readManifest(r.run_dir);
      if (manifestCoreHash(m) !== r.manifest_sha256 || m.manifest_sha256 !== r.manifest_sha256) {
        breaks.push({ pipeline: r.pipeline, run_id: r.run_id, problem: 'manifest.json was altered (its hash no longer matches the database)' });
      }
      for (const [name, o] of Object.entries(m.outputs ?? {})) {
        const file = join(r.run_dir, name);
        if (!existsSync(file)) breaks.push({ pipeline: r.pipeline, run_id: r.run_id, problem: `${name} is missing from the run folder` });
        else if (sha256(readFileSync(file)) !== o.sha256) breaks.push({ pipeline: r.pipeline, run_id: r.run_id, problem: `${name} was altered after the run` });
      }
    }
    prev = { pipeline: r.pipeline, hash: r.manifest_sha256 };
  }
  return { runs: runs.length, breaks };
}
