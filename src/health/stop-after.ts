/** Stops fit() after a number of optimizer steps (a trial's step budget). */
import { Callback } from '../nn/callbacks.js';

export class StopAfterSteps extends Callback {
  private seen = 0;
  constructor(readonly steps: number) {
    super();
    if (!Number.isInteger(steps) || steps < 1)
      throw new Error(`StopAfterSteps: steps must be a positive integer; received ${steps}`);
  }
  override onTrainBegin(): void {
    this.seen = 0;
  }
  override onBatchEnd(): void {
    this.seen++;
    if (this.seen >= this.steps && this.model !== null) this.model.stopTraining = true;
  }
}
