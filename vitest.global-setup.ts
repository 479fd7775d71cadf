import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Delete the suite's temporary run store (vitest.config.ts points VIB_STORE at it) when the run ends. */
export default function setup(): () => void {
  const file = join(tmpdir(), `vib-test-runs-${process.pid}.sqlite`);
  return () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  };
}
