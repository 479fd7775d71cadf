import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests run against each package's `src` through the `@vib/source` export condition,
// so `pnpm test` needs no build first.
export default defineConfig({
  resolve: { conditions: ['@vib/source'] },
  ssr: { resolve: { conditions: ['@vib/source'], externalConditions: ['@vib/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/bench/**/*.test.ts', 'test/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'docs/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Commands record runs; tests never touch the user's store (tests that need their own pass --store).
    env: { VIB_STORE: join(tmpdir(), `vib-test-runs-${process.pid}.sqlite`) },
    globalSetup: ['./vitest.global-setup.ts'],
  },
});
