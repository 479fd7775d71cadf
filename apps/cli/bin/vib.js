#!/usr/bin/env node
// The installed `vib` command: runs the compiled CLI (build first: `pnpm turbo run build --filter @vib/cli...`).
// From a checkout, `pnpm vib ...` at the repository root runs the TypeScript sources directly.
import "../dist/main.js";
