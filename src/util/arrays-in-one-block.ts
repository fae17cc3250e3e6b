/**
 * Typed arrays of `n` elements each, cut from one zeroed ArrayBuffer, for arrays that live and die
 * together (or a single array), and given back explicitly by `release` (the arrays are then empty).
 *
 * Why: an ArrayBuffer's memory goes back when the collector finds the buffer unreachable, and a
 * thread that spends minutes in one SQLite statement runs no collection meanwhile. Party linking's
 * arrays (up to 38 bytes a mention while it clusters, about 215 MB at 4M units) stayed resident through the token index's
 * sort that came next, the screen's peak. Node.js 20 has no ArrayBuffer.prototype.transfer (V8 11.3;
 * a resizable buffer could shrink, but the arrays over one took two to three times as long in
 * party linking's union-find), so `release` hands the buffer to a message port and closes it unread:
 * the buffer is detached at once and its memory freed when the port has closed. One block rather
 * than an allocation per array: glibc's malloc keeps allocations below its mmap threshold (which
 * rises to 32 MB once SQLite's sorter has freed a block that large) in its heap, whose pages it does
 * not give back; a block of all of them is mapped on its own from about a million mentions up.
 */
import { once } from 'node:events';
import { MessageChannel } from 'node:worker_threads';

const TYPES = { i32: Int32Array, u32: Uint32Array, u8: Uint8Array } as const;
type Kind = keyof typeof TYPES;
type ArrayOf<K extends Kind> = InstanceType<(typeof TYPES)[K]>;

export interface ArrayBlock<S extends Record<string, Kind>> {
  arrays: { [name in keyof S]: ArrayOf<S[name]> };
  /** Frees the block now; every array of it is empty after. */
  release(): Promise<void>;
}

export function arraysInOneBlock<const S extends Record<string, Kind>>(n: number, spec: S): ArrayBlock<S> {
  const names = Object.keys(spec) as (keyof S & string)[];
  // 4-byte arrays first: each then starts at a multiple of its element size.
  names.sort((a, b) => TYPES[spec[b]!].BYTES_PER_ELEMENT - TYPES[spec[a]!].BYTES_PER_ELEMENT);
  const block = new ArrayBuffer(names.reduce((sum, name) => sum + n * TYPES[spec[name]!].BYTES_PER_ELEMENT, 0));
  const arrays: Partial<Record<keyof S, ArrayOf<Kind>>> = {};
  let offset = 0;
  for (const name of names) {
    const Type = TYPES[spec[name]!];
    arrays[name] = new Type(block, offset, n);
    offset += n * Type.BYTES_PER_ELEMENT;
  }
  return {
    arrays: arrays as ArrayBlock<S>['arrays'],
    async release() {
      if (block.byteLength === 0) return;
      const { port1, port2 } = new MessageChannel();
      port1.postMessage(null, [block]);
      const closed = once(port2, 'close');
      port1.close();
      port2.close();
      await closed;
    },
  };
}
