// Declarations of scripts/built-cli.mjs, for its TypeScript callers (the bench's epoch row, the launcher's tests).

/** Where the stamp of the recorded build lives, relative to the repository root. */
export declare const STAMP_FILE: string;
/** The workspace packages a package depends on (`workspace:` ranges), itself first, as directories relative to the root. */
export declare function workspaceClosure(root: string, dir: string): string[];
/** Per package of the CLI's closure that builds a dist/: hashes of its sources and of its compiled .js files. */
export declare function cliFingerprint(root: string): Record<string, { sources: string; build: string; built: boolean }>;
/** Record the stamp for the build now on disk (after a build that succeeded); returns the stamp's path. */
export declare function writeStamp(root: string): string;
/** Whether the compiled CLI may run in place of its sources (`pnpm vib`), and if not, why. */
export declare function builtCliState(root: string): { fresh: true } | { fresh: false; reason: string };
/** What `pnpm vib` runs: the compiled CLI where the recorded build is fresh, unless VIB_FROM_SOURCE=1 asks for the sources. */
export declare function cliToRun(root: string, env?: Record<string, string | undefined>): { fresh: true } | { fresh: false; reason: string };
