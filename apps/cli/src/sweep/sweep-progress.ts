import type { ProgressSink } from '../output/progress.js';
import { formatDuration } from '../output/progress.js';

/**
 * The overall progress of a sweep: points done (including those done by an earlier run of the same sweep),
 * running, failed and waiting, with an ETA from this run's throughput. Prints one line per change.
 */
export class SweepProgress {
  private readonly started = Date.now();
  private doneNow = 0;
  private failed = 0;
  private readonly running = new Set<string>();
  private lastLine = '';

  /**
   * @param sink - stderr
   * @param total - points in the grid
   * @param doneBefore - points already completed before this run
   * @param quiet - print nothing
   */
  constructor(private readonly sink: ProgressSink, private readonly total: number, private readonly doneBefore: number, private readonly quiet: boolean) {}

  /** @param pointId - a point that started */
  start(pointId: string): void {
    this.running.add(pointId);
    this.print();
  }

  /** @param pointId - a point that finished */
  done(pointId: string): void {
    this.running.delete(pointId);
    this.doneNow++;
    this.print();
  }

  /** @param pointId - a point that failed */
  fail(pointId: string): void {
    this.running.delete(pointId);
    this.failed++;
    this.print();
  }

  /**
   * The progress line.
   * @returns e.g. `sweep: 3/8 done, 2 running, 0 failed, 3 waiting; ETA 1m10s`
   */
  line(): string {
    const done = this.doneBefore + this.doneNow;
    const waiting = this.total - done - this.failed - this.running.size;
    const remaining = this.total - done - this.failed;
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = this.doneNow > 0 && remaining > 0 ? `; ETA ${formatDuration((elapsed / this.doneNow) * remaining)}` : '';
    return `sweep: ${done}/${this.total} done, ${this.running.size} running, ${this.failed} failed, ${waiting} waiting${eta}`;
  }

  private print(): void {
    const line = this.line();
    if (this.quiet || line === this.lastLine) return;
    this.lastLine = line;
    this.sink.write(`${line}\n`);
  }
}
