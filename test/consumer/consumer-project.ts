import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from './run-command.js';

/** The repository root. */
export const repo = fileURLToPath(new URL('../../', import.meta.url));

/** One publishable workspace package and the tarball `pnpm pack` made of it. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  readonly tarball: string;
}

/** A fresh npm project outside the workspace with every package installed from its tarball. */
export interface ConsumerProject {
  /** The project directory. */
  readonly dir: string;
  /** Every packed package. */
  readonly packed: PackedPackage[];
  /** Seconds each step took (build, pack, install), for the report. */
  readonly seconds: Record<string, number>;
}

/** The name under which the second copy of @vib/core (its version bumped) is installed. */
export const SECOND_CORE = 'vib-core-next';

/** Every non-private package under packages/, with its name and version. */
export function publishablePackages(): { dir: string; name: string; version: string }[] {
  return readdirSync(join(repo, 'packages'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({ dir: join(repo, 'packages', e.name), pkg: JSON.parse(readFileSync(join(repo, 'packages', e.name, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => pkg.private !== true)
    .map(({ dir, pkg }) => ({ dir, name: pkg.name as string, version: pkg.version as string }));
}

/** `@vib/core` + `0.1.0` → `vib-core-0.1.0.tgz`, the file name `pnpm pack` writes. */
export function tarballName(name: string, version: string): string {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/**
 * Build every package once (turbo), pack each (pnpm pack turns `workspace:` ranges into versions),
 * make a second @vib/core tarball with its patch version bumped, and npm-install all of them with
 * `@tensorflow/tfjs` from the registry (npm's cache makes repeated runs fast) into `root/project`.
 * @param root - an empty directory outside the workspace
 * @returns the installed project
 */
export async function prepareConsumer(root: string): Promise<ConsumerProject> {
  const seconds: Record<string, number> = {};
  const timed = async <T>(step: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await f();
    seconds[step] = Math.round((performance.now() - t0) / 100) / 10;
    return out;
  };
  const tarballs = join(root, 'tarballs');
  const dir = join(root, 'project');
  mkdirSync(tarballs, { recursive: true });
  mkdirSync(dir, { recursive: true });

  await timed('build', () => runCommand('pnpm', ['turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only'], repo, 600_000));
  // The build is done: skip each package's prepack (which would run the same cached build again).
  await timed('pack', () =>
    runCommand('pnpm', ['-r', '--filter=./packages/*', '--config.ignore-scripts=true', 'pack', '--pack-destination', tarballs], repo),
  );
  const packed = publishablePackages().map(({ name, version }) => ({ name, version, tarball: join(tarballs, tarballName(name, version)) }));

  const core = packed.find((p) => p.name === '@vib/core');
  if (core === undefined) throw new Error('no @vib/core among the packed packages');
  const nextVersion = core.version.replace(/(\d+)$/, (patch) => String(Number(patch) + 1));
  const unpacked = join(root, 'core-next');
  mkdirSync(unpacked);
  await runCommand('tar', ['xzf', core.tarball, '-C', unpacked], root);
  const manifest = join(unpacked, 'package', 'package.json');
  writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), version: nextVersion }, null, 2));
  const coreNext = join(tarballs, tarballName('@vib/core', nextVersion));
  await runCommand('tar', ['czf', coreNext, '-C', unpacked, 'package'], root);

  const tfjs = JSON.parse(readFileSync(join(repo, 'packages/core/package.json'), 'utf8')).peerDependencies['@tensorflow/tfjs'] as string;
  const dependencies: Record<string, string> = { '@tensorflow/tfjs': tfjs, [SECOND_CORE]: `file:${coreNext}` };
  for (const p of packed) dependencies[p.name] = `file:${p.tarball}`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'vib-consumer', private: true, type: 'module', dependencies }, null, 2));
  await timed('install', () => runCommand('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], dir, 600_000));
  return { dir, packed, seconds };
}
