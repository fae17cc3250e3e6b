#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=64
// The flag: V8's young generation at 64 MB a semi-space (default 16). The screen makes many
// short-lived objects a page of rows at a time; with the default, V8 copied them from one
// semi-space to the other again and again (party linking at 1M units: 46-59 s of CPU with the
// default or 32 MB, 36-42 s with 64, no better with 128). package.json's scripts pass it too.
// MALLOC_ARENA_MAX=2: glibc's malloc gives each thread that contends for it an arena of its own (up
// to eight per core), and memory freed in one is not reused by another. Where SQLite's sorter
// helper, the rule thread and the checkpointer allocate beside the main thread (the token index),
// the 4M bench's peak RSS rose from 1,301 to 1,481 MB; with two arenas it stayed at 1,384, reached
// in link-parties, at the same CPU (326 against 324 s). It is read when the process starts, so it
// is set here and in package.json's scripts (which keep a value set in the environment).
// Entry point: TypeScript runs through tsx so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
