/** Where progress goes: a stream with `write`, and whether it is a terminal. */
export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Numbers shown on the progress line: the running means of the epoch under way, on the training batches so far. */
export interface ProgressStats {
  /** Mean loss (task loss + rate term). */
  readonly loss?: number;
  /** Accuracy of the sampled codes (classification). */
  readonly accuracy?: number;
  /** The training rate, KL(p(z|x) ‖ r(z)) in bits. */
  readonly rateBits?: number;
  /** False where the rate is a Monte Carlo estimate. */
  readonly rateExact?: boolean;
}

const fmt = (v: number | undefined, digits: number) => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits));

/**
 * Format seconds as `1m05s` or `42s`.
 * @param seconds - duration
 * @returns short text
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * A training progress bar on stderr: one redrawn line on a terminal, plain lines (one per epoch and every
 * quarter epoch) otherwise, with the epoch's running training loss, accuracy and rate in bits, and the ETA of the
 * whole run.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private lastQuarter = -1;

  /**
   * @param sink - usually process.stderr
   * @param epochs - total epochs
   * @param batchesPerEpoch - batches in one epoch
   * @param quiet - print nothing
   */
  constructor(
    private readonly sink: ProgressSink,
    private readonly epochs: number,
    private readonly batchesPerEpoch: number,
    private readonly quiet = false,
    /** Starts every line, e.g. `[beta=0.001]` for one point of a sweep (empty: none). */
    private readonly label = '',
  ) {}

  /**
   * Report the end of a batch.
   * @param epoch - epoch index from 0
   * @param batch - batch index from 0
   * @param stats - the epoch's running means so far
   */
  batch(epoch: number, batch: number, stats: ProgressStats): void {
    if (this.quiet) return;
    const done = epoch * this.batchesPerEpoch + batch + 1;
    const total = this.epochs * this.batchesPerEpoch;
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = (elapsed / done) * (total - done);
    const frac = (batch + 1) / this.batchesPerEpoch;
    const figures = [
      `loss ${fmt(stats.loss, 4)}`,
      ...(stats.accuracy !== undefined ? [`acc ${fmt(stats.accuracy, 3)}`] : []),
      `rate ${fmt(stats.rateBits, 2)} bits${stats.rateExact === false ? ' (Monte Carlo estimate)' : ''}`,
    ];
    const text = `${this.label === '' ? '' : `${this.label} `}epoch ${epoch + 1}/${this.epochs} ${this.bar(frac)} train so far: ${figures.join(', ')} | ETA ${formatDuration(eta)}`;
    if (this.sink.isTTY) {
      this.sink.write(`\r\x1b[2K${text}`);
    } else {
      const quarter = Math.floor(done / Math.max(1, Math.floor(this.batchesPerEpoch / 4)));
      if (quarter !== this.lastQuarter && (batch + 1) % Math.max(1, Math.floor(this.batchesPerEpoch / 4)) === 0) {
        this.lastQuarter = quarter;
        this.sink.write(`${text}\n`);
      }
    }
  }

  /**
   * Print a line for a finished epoch.
   * @param line - the epoch summary
   */
  epochEnd(line: string): void {
    if (this.quiet) return;
    this.sink.write(this.sink.isTTY ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }

  private bar(frac: number): string {
    const width = 20;
    const filled = Math.round(Math.min(1, Math.max(0, frac)) * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  }
}
