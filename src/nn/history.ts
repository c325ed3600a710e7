/** What `fit` returns: per-epoch metrics (Keras `History`). */
export class History {
  /** Epoch indices that ran. */
  readonly epoch: number[] = [];
  /** Metric name → one value per epoch: loss, accuracy, val_loss, val_accuracy. */
  readonly history: Record<string, number[]> = {};
  /** Set when training stopped because the loss or a weight became NaN/Inf; `layer` is where it first appeared (null:
   * in the loss itself). */
  nonFinite: { epoch: number; step: number; message: string; layer?: string | null } | null = null;
  /** Each rollback made by fit's onNaN 'rollback' policy: where it failed and the learning rate it continued with. */
  readonly rollbacks: { epoch: number; step: number; message: string; learningRate: number }[] = [];

  record(epoch: number, logs: Record<string, number>): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }

  toJSON(): {
    epoch: number[];
    history: Record<string, number[]>;
    nonFinite: History['nonFinite'];
    rollbacks: History['rollbacks'];
  } {
    return { epoch: this.epoch, history: this.history, nonFinite: this.nonFinite, rollbacks: this.rollbacks };
  }
}
