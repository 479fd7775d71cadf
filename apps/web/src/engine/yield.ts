/**
 * Give the browser a turn (input, painting) when this much time has passed since the last turn.
 * Training steps run between calls, so the page stays responsive without a worker.
 */
export class PageYielder {
  private last = performance.now();

  /** @param budgetMs - work time allowed between turns (default 40 ms, under three frames) */
  constructor(private readonly budgetMs = 40) {}

  /**
   * Yield if the budget is spent.
   * @returns a promise that settles after the page had its turn (or at once)
   */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.last < this.budgetMs) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    this.last = performance.now();
  }
}
