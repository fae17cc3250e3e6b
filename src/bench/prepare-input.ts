/**
 * The bench's input: the synthetic folder of N units (generate-input.ts, cached per N and options)
 * and, where the BAG is benched as the official zip, that zip (official-zip.ts, cached beside it).
 * Made in a child process ({@link prepareInputInChild}): the generator writes gigabytes through its
 * own buffers and grows its own heap, and the screen after it must not start with that memory.
 */
import { join } from 'node:path';
import { generateInput, type AddressIds, type GeneratedInput, type InputOrder, type XmlLayout } from './generate-input.ts';
import { runInChild } from './in-child.ts';
import { officialZipInput, type OuterZip } from './official-zip.ts';

export interface InputRequest { root: string; units: number; order: InputOrder; addressIds: AddressIds; layout: XmlLayout; outer: OuterZip | null }

export interface PreparedInput {
  input: GeneratedInput;
  genSeconds: number;
  /** The input with its BAG as the official zip (null: the BAG is benched as a folder). */
  zipped: (Awaited<ReturnType<typeof officialZipInput>> & { seconds: number }) | null;
}

export async function prepareInput(req: InputRequest): Promise<PreparedInput> {
  let t = performance.now();
  const input = generateInput(req.root, req.units, req.order, req.addressIds, req.layout);
  const genSeconds = (performance.now() - t) / 1000;
  if (req.outer === null) return { input, genSeconds, zipped: null };
  t = performance.now();
  const zipped = await officialZipInput(input.dir, req.outer);
  return { input, genSeconds, zipped: { ...zipped, seconds: (performance.now() - t) / 1000 } };
}

/** {@link prepareInput} in a child process (see in-child.ts). */
export function prepareInputInChild(req: InputRequest): PreparedInput {
  return runInChild<PreparedInput>(join(import.meta.dirname, 'prepare-input-child.ts'), req, 'input generation');
}
