import { Command, Option } from 'commander';
import type { CliIO } from './cli-io.js';
import { readFileSync } from 'node:fs';
import { PRESETS } from '@vib/kit/presets';
import { addRunsCommands } from './runs-program.js';
import { REPRODUCTION_NAMES } from './reproduce/names.js';
import { refuseEmptyValues } from './util/empty-flags.js';
import { prepareTensorFlow, withoutTensorFlow } from './util/tensorflow-mode.js';
import { ATTACK_STEPS_BOUNDS, CALIBRATION_BINS_BOUNDS, ESTIMATE_PROCESSES_BOUNDS, HIDDEN_BOUNDS, INTERPOLATION_STEPS_BOUNDS, LATENT_DIM_BOUNDS, PROCESSES_BOUNDS, SAMPLES_BOUNDS, THREADS_BOUNDS } from './util/flag-bounds.js';
import type { CountBounds } from './util/parse-flags.js';

/** A count flag's range for its help text, e.g. `1 to 4096`. */
const range = (b: CountBounds) => `${b.min ?? 1} to ${b.max}`;

/**
 * The CLI's version, from its package.json (one folder above both src/ and dist/); `unknown` where that file is
 * missing or has no version (a bundled CLI finds whatever package.json lies above it, and commander's `.version()`
 * given undefined returns no command to chain on).
 */
function cliVersion(): string {
  try {
    return packageVersion(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  } catch {
    return 'unknown';
  }
}

/**
 * The `version` of a package.json's text.
 * @param text - the file's text
 * @returns the version, or `unknown` where the text is no JSON object with a non-empty string version
 */
export function packageVersion(text: string): string {
  try {
    const { version } = (JSON.parse(text) ?? {}) as { version?: unknown };
    return typeof version === 'string' && version !== '' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Add the flags shared by every command; `--out` only where the command writes a folder. */
function common(cmd: Command, writes = true): Command {
  if (writes) cmd.option('--out <dir>', 'output directory (default ./runs/<date>-<time>-<command>-<pid><random hex>, UTC); written atomically');
  return cmd
    .option('--backend <name>', 'TensorFlow.js backend (see `vib backends`); default: the best available')
    .option('--json', 'print one final JSON object on stdout')
    .option('--verbose', 'show the backend choice and stack traces on errors')
    .option('--quiet', 'no progress on stderr')
    .option('--threads <n>', `threads of the heavy kernels (${range(THREADS_BOUNDS)}): the native tier's products, Adam and normal draws (else OPENBLAS_NUM_THREADS or all cores); the threaded tfjs-wasm build in the pure tier (default all cores, at most 8; 1 runs the single-threaded build); a sweep's points in this process or in each --jobs process`)
    .option('--store <file>', 'run store (SQLite) to record the run in; default $VIB_STORE, else $XDG_DATA_HOME/vib/runs.sqlite')
    .option('--tag <name=value>', 'tag the recorded run (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option(
      '--plugin <module>',
      'load a third-party plugin package or ES module file and call its register* exports (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    );
}

/** Add the flags that define an experiment. */
function experiment(cmd: Command): Command {
  return cmd
    .option('--data <source>', 'registered dataset name, directory of IDX files, or .csv file')
    .option('--label-column <name>', 'label column of a CSV file', 'label')
    .option('--config <file>', 'experiment config (JSON)')
    .addOption(new Option('--preset <name>', 'named starting config').choices(Object.keys(PRESETS)))
    .option('--seed <n>', 'random seed (weights, shuffling, sampling)')
    .option('--epochs <n>', 'training epochs')
    .option('--beta <x>', 'β, the weight of the rate term (≥ 0); replaces the config\'s controller with a fixed β')
    .option('--prior <name>', 'prior r(z) plugin name')
    .option('--task <name>', 'task plugin name (classification, reconstruction)')
    .option('--latent-dim <k>', `latent dimension K (${range(LATENT_DIM_BOUNDS)})`)
    .option('--hidden <sizes>', `encoder hidden widths, e.g. 1024,1024 (each ${range(HIDDEN_BOUNDS)})`)
    .option('--activation <name>', 'encoder activation (relu, tanh, elu, sigmoid)')
    .option('--batch-size <n>', 'batch size')
    .option('--lr <x>', 'learning rate')
    .option('--adam-beta1 <x>', 'Adam β1 (default 0.9; the alemi presets use 0.5)')
    .option('--adam-beta2 <x>', 'Adam β2 (default 0.999)')
    .option('--adam-epsilon <x>', 'Adam ε (default 1e-7)')
    .option('--deterministic', 'deterministic baseline: same encoder and decoder, z = μ(x), no noise and no rate term (so not with --beta or --prior)')
    .option('--no-ema', 'evaluate the raw weights instead of their moving average (the alemi presets average with decay 0.999, which needs thousands of steps)')
    .option('--max-train <n>', 'use only the first n training examples')
    .option('--max-test <n>', 'use only the first n test examples');
}

/**
 * Build the `vib` command tree (commander). Actions run against `io`; the docs generate the CLI reference
 * from these definitions.
 * @param io - where commands write (stdout/stderr)
 * @returns the program, not yet parsed
 */
export function createProgram(io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Command {
  const program = new Command('vib')
    .version(cliVersion(), '-V, --version', 'print the vib version and exit')
    .description('Variational information bottleneck on TensorFlow.js: train, evaluate, sweep β, draw information planes')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {},
    })
    .hook('preAction', async (_program, action) => {
      refuseEmptyValues(action);
      await prepareTensorFlow(action);
    });

  experiment(common(program.command('train').description('train a VIB model; writes model/, metrics.json, plots')))
    .option('--no-plots', 'skip the plots')
    .option('--resume <run-dir>', 'continue an interrupted run from its checkpoint.vib (same flags; the result is bitwise identical to an uninterrupted run)')
    .option('--checkpoint-every <steps>', 'also checkpoint every n optimizer steps inside an epoch (every epoch end always is)')
    .option('--print-config', 'print the resolved experiment config as JSON and exit')
    .action(async (flags) => {
      const { trainCommand } = await import('./commands/train-command.js');
      await trainCommand(flags, io);
    });

  common(program.command('eval').description('evaluate a saved model: mean code and S sampled codes (prints the result and records it in the run store; writes no files)'), false)
    .requiredOption('--model <dir>', 'model directory (the model/ folder of a train run, or the run folder)')
    .option('--data <source>', 'dataset (default: the one the model was trained on)')
    .option('--label-column <name>', 'label column of a CSV file', 'label')
    .option('--samples <s>', `S, sampled codes averaged (${range(SAMPLES_BOUNDS)}; S × min(test examples, 500) × the widest layer after the bottleneck at most 2^28 values)`, '12')
    .option('--max-test <n>', 'use only the first n test examples')
    .option('--seed <n>', "seed of the sampled codes (default: the model's training seed, whose codes gave its run's figures)")
    .option('--iw-samples <k>', `reconstruction models: also the importance-weighted bound on log p(x) with K samples (Burda et al. 2016; ${range(SAMPLES_BOUNDS)}, K × min(test examples, 100) × the widest layer after the bottleneck at most 2^28 values)`)
    .action(async (flags) => {
      const { evalCommand } = await import('./commands/eval-command.js');
      await evalCommand(flags, io);
    });

  experiment(common(program.command('sweep').description('train over a grid (β × --grid axes × --seeds) and draw the information-bottleneck curve; here, in --jobs N local processes, or on a --queue for vib workers')))
    .option('--betas <list>', 'comma-separated β values, e.g. 1e-4,1e-3,1e-2 (not with --beta)')
    .option('--beta-range <lo:hi:n>', 'n log-spaced β from lo to hi (n from 2 to 1000)')
    .option('--seeds <list>', 'comma-separated seeds; each grid point runs once per seed (not with --seed)')
    .option('--grid <key=values>', 'another axis: a dotted config key and comma-separated values, e.g. latentDim=8,32 (repeatable, one axis per key; not on a key a flag such as --latent-dim also sets)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--jobs <n>', `run the points in n local worker processes (${range(PROCESSES_BOUNDS)}; each gets the cores divided by n threads unless --threads says)`)
    .option('--queue <url>', 'enqueue the points on BullMQ at this Redis URL (redis://host:port) for `vib worker`s; waits and collects the results')
    .action(async (flags) => {
      const { sweepCommand } = await import('./commands/sweep-command.js');
      await sweepCommand(flags, io);
    });

  experiment(common(program.command('infoplane').description('information plane I(X;T) vs I(T;Y) of each hidden layer per epoch on all inputs; --activation tanh,relu runs side by side (Saxe et al. 2018), --seeds averages; default preset tishby-12bit')))
    .option('--estimator <names>', 'comma-separated activation estimators by registered name (binning, kde-upper, kde-lower, or a plugin\'s)', 'binning,kde-upper')
    .option('--bins <n>', 'bins per unit for the binning estimator', '30')
    .option('--noise <sigma>', 'noise variance of the KDE estimator', '0.01')
    .option('--estimator-config <json>', 'each estimator\'s own settings by name, over --bins and --noise, e.g. \'{"binning": {"bins": 12}}\' (a plugin\'s options)')
    .option('--max-points <n>', 'examples per split used by the estimators (4,096: every pattern of the 12-bit task; KDE costs O(n²))', '4096')
    .option('--splits <list>', 'inputs measured: all (train ∪ test: the 4,096 patterns of the 12-bit task), train, test', 'all')
    .option('--seeds <list>', 'comma-separated seeds: one run each, trajectories averaged (mean ± sd per epoch; not with --seed)')
    .option('--jobs <n>', `run the estimators in n local processes while the training goes on (${range(ESTIMATE_PROCESSES_BOUNDS)}; 0 runs them in this process; default: one per core from 1,024 inputs on 2 cores or more unless binning is the only estimator, else 0)`)
    .action(async (flags) => {
      const { infoplaneCommand } = await import('./commands/infoplane-command.js');
      await infoplaneCommand(flags, io);
    });

  common(program.command('robustness').description('adversarial robustness of saved classifiers: accuracy and attack success against ε, several models in one plot'))
    .requiredOption('--model <dir>', 'a classifier run folder or model/ folder (repeatable: --model a --model b)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--attack <name>', 'attack plugin: fgsm, pgd (iterative L∞), pgd-l2', 'fgsm')
    .option('--eps <list>', 'comma-separated radii ε in the attack\'s norm (pixels in [0, 1])', '0,0.05,0.1,0.2,0.3')
    .addOption(new Option('--through <path>', 'predictive the gradient goes through').choices(['mean', 'samples']).default('mean'))
    .addOption(new Option('--objective <loss>', 'what the attack increases: nll (−log q(y|x), the paper\'s) or margin (best wrong log q minus the true one; its gradient survives a saturated softmax)').choices(['nll', 'margin']).default('nll'))
    .option('--samples <s>', `S of the sampled predictive (${range(SAMPLES_BOUNDS)}; S × min(test examples, 250) × the widest layer after the bottleneck at most 2^28 values)`, '12')
    .option('--steps <n>', `steps of the iterative attacks (${range(ATTACK_STEPS_BOUNDS)}; default 10)`)
    .option('--data <source>', 'dataset (default: the one the first model was trained on)')
    .option('--max-test <n>', 'attack only the first n test examples')
    .option('--seed <n>', 'seed of the sampled codes and random starts', '0')
    .option('--no-plots', 'skip the plot')
    .action(async (flags) => {
      const { robustnessCommand } = await import('./commands/robustness-command.js');
      await robustnessCommand(flags, io);
    });

  common(program.command('uncertainty').description('out-of-distribution scores (per-example rate, predictive entropy, confidence) with AUROC/AUPR, and calibration (ECE, reliability diagram)'))
    .requiredOption('--model <dir>', 'a classifier run folder or model/ folder')
    .requiredOption('--ood <source>', 'out-of-distribution dataset of the same input shape (e.g. mnist for a fashion-mnist model)')
    .option('--data <source>', 'in-distribution dataset (default: the one the model was trained on)')
    .option('--samples <s>', `S of the predictive (${range(SAMPLES_BOUNDS)}; S × min(test examples, 500) × the widest layer after the bottleneck at most 2^28 values)`, '12')
    .option('--bins <n>', `confidence bins of the reliability diagram (${range(CALIBRATION_BINS_BOUNDS)})`, '15')
    .option('--max-test <n>', 'use only the first n test examples of each set')
    .option('--seed <n>', 'seed of the sampled codes', '0')
    .option('--no-plots', 'skip the plot')
    .action(async (flags) => {
      const { uncertaintyCommand } = await import('./commands/uncertainty-command.js');
      await uncertaintyCommand(flags, io);
    });

  common(program.command('reproduce').description('reproduce a published result as a record: configs, seeds, revision, metrics with mean and spread, the published figures beside them, plots'))
    .argument('<name>', `one of ${REPRODUCTION_NAMES.join(', ')}`)
    .option('--quick', 'the small CI-sized variant (a subset of the data, which each config records as its subset, and a few epochs)')
    .option('--seeds <list>', 'comma-separated seeds; with two or more, mean ± sd and a paired t-test of the compared metrics', '0')
    .option('--epochs <n>', 'override the epochs of every training run (the record says so): a shorter run than the paper\'s')
    .option('--no-plots', 'skip the plots')
    .action(async (name: string, flags) => {
      const { reproduceCommand } = await import('./commands/reproduce-command.js');
      await reproduceCommand(name, flags, io);
    });

  common(program.command('interpolate').description('decode images along linear and spherical paths between two inputs'))
    .requiredOption('--model <dir>', 'a reconstruction model directory')
    .option('--data <source>', 'dataset (default: the one the model was trained on)')
    .option('--from <i>', 'index of the first test input', '0')
    .option('--to <j>', 'index of the second test input', '1')
    .option('--steps <n>', `images per path (${range(INTERPOLATION_STEPS_BOUNDS)})`, '10')
    .action(async (flags) => {
      const { interpolateCommand } = await import('./commands/interpolate-command.js');
      await interpolateCommand(flags, io);
    });

  program
    .command('worker')
    .description('run sweep points queued with `vib sweep --queue` on this machine, until stopped (Ctrl-C finishes the running points first)')
    .requiredOption('--queue <url>', 'the Redis URL the sweep enqueued on (redis://host:port)')
    .option('--concurrency <n>', `points trained at once, each in its own process (${range(PROCESSES_BOUNDS)})`, '1')
    .option('--lock-ms <ms>', 'job lock time: a job of a worker that died is handed to another worker within about 1.5× this', '30000')
    .option('--threads <n>', `threads of each point process's heavy kernels (${range(THREADS_BOUNDS)}; default: the cores divided by --concurrency, at least 1; with several workers on one machine, give each --threads 1)`)
    .option('--store <file>', 'also record each point this worker trains in this machine\'s run store, as a worker-point run (default: no record here; the sweep records every point in its own store)')
    .option('--tag <name=value>', 'tag the worker-point runs (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--quiet', 'no log lines')
    .option('--verbose', 'stack traces on errors')
    .action(async (flags) => {
      const { workerCommand } = await import('./commands/worker-command.js');
      await workerCommand(flags, io);
    });

  addRunsCommands(program, io);

  // a static server and the run store: no tensors, so no TensorFlow.js
  withoutTensorFlow(program.command('serve'))
    .description('serve the built web demo with a read-only API over the run store, so the page loads a recorded run by its id')
    .option('--port <n>', 'port (0: any free port)', '8080')
    .option('--host <address>', 'address to listen on (the API shows your runs: keep it on loopback unless the network is yours)', '127.0.0.1')
    .option('--site <dir>', 'the built demo (default: apps/web/dist of this repository; build it with `pnpm --filter @vib/web build`)')
    .option('--store <file>', 'run store to read (default $VIB_STORE, else $XDG_DATA_HOME/vib/runs.sqlite)')
    .option('--verbose', 'stack traces on errors')
    .action(async (flags) => {
      const { serveCommand } = await import('./commands/serve-command.js');
      await serveCommand(flags, io);
    });

  program
    .command('backends')
    .description('which backends can load here, which one a run would use, and why the others cannot')
    .option('--backend <name>', 'show what a run with --backend <name> would use (webgpu: also a software adapter)')
    .option('--json', 'print JSON')
    .option('--verbose', 'stack traces on errors')
    .option(
      '--plugin <module>',
      'load a third-party plugin package or ES module file (its backend plugins are probed too; repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(async (flags) => {
      const { backendsCommand } = await import('./commands/backends-command.js');
      await backendsCommand(flags, io);
    });

  return program;
}
