#!/usr/bin/env node
// Remove the working directory's dist/ before a build, so a renamed or deleted source file
// never leaves a stale module in a published tarball.
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
