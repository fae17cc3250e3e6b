#!/usr/bin/env -S node --max-semi-space-size=64
// The flag: V8's young generation at 64 MB a semi-space (default 16). The screen makes many
// short-lived objects a page of rows at a time; with the default, V8 copied them from one
// semi-space to the other again and again (party linking at 1M units: 46-59 s of CPU with the
// default or 32 MB, 36-42 s with 64, no better with 128). package.json's scripts pass it too.
// Entry point: TypeScript runs through tsx so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
