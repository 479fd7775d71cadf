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

/** A running PyTorch benchmark process (bench/torch_step.py). */
export interface TorchClient {
  readonly version: string;
  readonly threads: number;
  /** Two warm-up steps of `model`, then timed steps until `budgetMs` has passed (at least `min`, at most `max`); per-step ms. */
  run(model: 'vib' | 'vae' | 'infer', timing: StepTiming): Promise<number[]>;
  close(): void;
}

/**
 * Start Debian's python3-torch (/usr/bin/python3, OMP_WAIT_POLICY=PASSIVE, 2 threads) as a child process.
 * @param threads - torch.set_num_threads value
 * @returns the client, or a reason string when PyTorch is not available
 */
export async function startTorch(threads: number): Promise<TorchClient | string> {
  const python = process.env['VIB_BENCH_PYTHON'] ?? '/usr/bin/python3';
  if (!existsSync(python)) return `${python} not found (install Debian's python3-torch)`;
  const script = fileURLToPath(new URL('./torch_step.py', import.meta.url));
  const child: ChildProcessWithoutNullStreams = spawn(python, [script], {
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', VIB_BENCH_TORCH_THREADS: String(threads) },
  });
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
