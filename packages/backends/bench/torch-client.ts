import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** How a round times a step: warm-up aside, steps until `budgetMs` has passed, at least `min`, at most `max`. */
export interface StepTiming {
  readonly min: number;
  readonly max: number;
  readonly budgetMs: number;
}

/**
 * Time a step as {@link StepTiming} says, the way torch_step.py times PyTorch's: `warmups` untimed steps, then timed
 * steps until the budget has passed (at least `min`, at most `max`).
 * @param run - one step, resolved when its result is read
 * @param timing - the bounds
 * @param warmups - untimed steps first
 * @returns each timed step's milliseconds
 */
export async function timeSteps(run: () => Promise<void>, timing: StepTiming, warmups: number): Promise<number[]> {
  for (let i = 0; i < warmups; i++) await run();
  const ms: number[] = [];
  const start = performance.now();
  while (ms.length < timing.min || (ms.length < timing.max && performance.now() - start < timing.budgetMs)) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  return ms;
}

/** A running PyTorch benchmark process (bench/torch_step.py). */
export interface TorchClient {
  readonly version: string;
  readonly threads: number;
  /** The kernels ATen dispatches to on this CPU (`CPU capability usage` of `torch.__config__.show()`: DEFAULT, AVX2, AVX512). */
  readonly cpuKernels: string;
  /** Two warm-up steps of `model`, then timed steps until `budgetMs` has passed (at least `min`, at most `max`); per-step ms. */
  run(model: 'vib' | 'vae' | 'infer' | 'infer-one' | 'infer-images' | 'cnn', timing: StepTiming): Promise<number[]>;
  close(): void;
}

/**
 * glibc malloc settings for the reference PyTorch process: keep freed memory instead of handing it back.
 * With glibc's defaults, PyTorch's multi-megabyte temporaries (Adam's on the 1024×1024 weight) are mapped
 * afresh and page-faulted in on most steps: on a Zen 5 host its VIB step took 45–58 ms that way against 14–20 ms
 * with these two settings, and which of the two a run got depended on glibc's adaptive threshold. The largest
 * mmap threshold glibc accepts on 64-bit (32 MiB) plus no trimming of the heap's top; either one alone is slower.
 */
export const TORCH_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: String(32 * 2 ** 20),
  MALLOC_TRIM_THRESHOLD_: String(2 ** 32 - 1),
};

/** The same variables unset: PyTorch with glibc's malloc defaults. */
export const TORCH_DEFAULT_MALLOC_ENV: Readonly<Record<string, undefined>> = Object.fromEntries(Object.keys(TORCH_MALLOC_ENV).map((k) => [k, undefined]));

/**
 * The environment of a PyTorch child: this process's, OMP_WAIT_POLICY=PASSIVE, the thread count, then `extra`
 * (an undefined value removes the variable).
 */
export function torchEnv(threads: number, extra: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', VIB_BENCH_TORCH_THREADS: String(threads) };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** The Python that runs the PyTorch side of the benches: Debian's own python3 (python3-torch), or VIB_BENCH_PYTHON. */
export const torchPython = (): string => process.env['VIB_BENCH_PYTHON'] ?? '/usr/bin/python3';

/**
 * Start Debian's python3-torch (/usr/bin/python3, OMP_WAIT_POLICY=PASSIVE, 2 threads) as a child process.
 * @param threads - torch.set_num_threads value
 * @param extraEnv - variables to set (or, undefined, to remove) beyond {@link torchEnv}'s
 * @returns the client, or a reason string when PyTorch is not available
 */
export async function startTorch(threads: number, extraEnv: Readonly<Record<string, string | undefined>>): Promise<TorchClient | string> {
  const python = torchPython();
  if (!existsSync(python)) return `${python} not found (install Debian's python3-torch)`;
  const script = fileURLToPath(new URL('./torch_step.py', import.meta.url));
  const child: ChildProcessWithoutNullStreams = spawn(python, [script], { env: torchEnv(threads, extraEnv) });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const r = await lines.next();
    if (r.done) throw new Error(`PyTorch process ended: ${stderr.trim().split('\n').at(-1) ?? ''}`);
    return JSON.parse(r.value) as Record<string, unknown>;
  };
  try {
    const hello = await next();
    return {
      version: String(hello['torch']),
      threads: Number(hello['threads']),
      cpuKernels: String(hello['cpuKernels']),
      async run(model, timing) {
        child.stdin.write(`${model} ${timing.min} ${timing.max} ${timing.budgetMs}\n`);
        return (await next())['ms'] as number[];
      },
      close: () => {
        child.stdin.write('quit\n');
        child.stdin.end();
      },
    };
  } catch (e) {
    child.kill();
    return `PyTorch is not usable with ${python}: ${e instanceof Error ? e.message : String(e)}`;
  }
}
