#!/usr/bin/env node
// The installed `vib` command: runs the compiled CLI (build first: `pnpm turbo run build --filter @vib/cli...`).
// From a checkout, `pnpm vib ...` at the repository root runs this file where the recorded build matches the
// sources, and the TypeScript sources through tsx otherwise (scripts/vib.mjs).
import "../dist/main.js";
