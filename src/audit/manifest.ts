/**
 * Reading a run's manifest back: its hashed core (everything but the run id, times and the hash
 * itself) and the hash that core must have.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../util/hash.ts';
import { stableJson } from '../util/stable-json.ts';
import { InputError } from '../util/input-error.ts';

export interface Manifest {
  format: string;
  pipeline: { name: string; sha256: string; definition: unknown };
  peildatum: { value: string; source: string };
  tool_version: string;
  schema_version: string;
  inputs: { path: string; bytes: number; sha256: string }[];
  outputs: Record<string, { sha256: string }>;
  previous_manifest_sha256: string | null;
  manifest_sha256: string;
  run: { id: string; input_dir?: string; started_at: string; finished_at: string };
  [key: string]: unknown;
}

export function readManifest(runDir: string): Manifest {
  let text: string;
  try {
    text = readFileSync(join(runDir, 'manifest.json'), 'utf8');
  } catch {
    throw new InputError(`${runDir} has no manifest.json: not a run folder`);
  }
  try {
    return JSON.parse(text) as Manifest;
  } catch (err) {
    throw new InputError(`${join(runDir, 'manifest.json')} is not valid JSON: ${(err as Error).message}`);
  }
}

/** The sha256 a manifest's hashed core has now (compare with its recorded `manifest_sha256`). */
export function manifestCoreHash(m: Manifest): string {
  const { manifest_sha256: _hash, run: _run, ...core } = m;
  return sha256(stableJson(core));
}
