/**
 * Several callbacks as one (fit and runDemo take a single progress callback):
 * events go to each in order, and step-observer hooks to those that observe.
 */
import { Callback, type Logs, type TrainableModel, type TrainingParams } from '../../nn/callbacks.js';
import type { StepObserver, StepView } from '../../nn/training.js';

type Observing = Callback & StepObserver;
const observes = (c: Callback): c is Observing => typeof (c as Partial<StepObserver>).wantsStep === 'function';

export class CallbackGroup extends Callback implements StepObserver {
  private members: Callback[] = [];
  constructor(members: readonly (Callback | null | undefined)[]) {
    super();
    this.setMembers(members);
  }
  /** Replaces the members (they get the model and params already set). */
  protected setMembers(members: readonly (Callback | null | undefined)[]): void {
    this.members = members.filter((c): c is Callback => c !== null && c !== undefined);
    for (const c of this.members) {
      if (this.model !== null) c.setModel(this.model);
      if (this.params !== null) c.setParams(this.params);
    }
  }
  override setModel(model: TrainableModel): void {
    super.setModel(model);
    for (const c of this.members) c.setModel(model);
  }
  override setParams(params: TrainingParams): void {
    super.setParams(params);
    for (const c of this.members) c.setParams(params);
  }
  override async onTrainBegin(logs?: Logs): Promise<void> {
    for (const c of this.members) await c.onTrainBegin(logs);
  }
  override async onTrainEnd(logs?: Logs): Promise<void> {
    for (const c of this.members) await c.onTrainEnd(logs);
  }
  override async onEpochBegin(epoch: number, logs?: Logs): Promise<void> {
    for (const c of this.members) await c.onEpochBegin(epoch, logs);
  }
  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    for (const c of this.members) await c.onEpochEnd(epoch, logs);
  }
  override async onBatchBegin(batch: number, logs?: Logs): Promise<void> {
    for (const c of this.members) await c.onBatchBegin(batch, logs);
  }
  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    for (const c of this.members) await c.onBatchEnd(batch, logs);
  }

  private watching: Observing[] = [];
  wantsStep(step: number): boolean {
    this.watching = this.members.filter(observes).filter((c) => c.wantsStep(step));
    return this.watching.length > 0;
  }
  beforeUpdate(view: StepView): void {
    for (const c of this.watching) c.beforeUpdate(view);
  }
  afterUpdate(view: StepView): void {
    for (const c of this.watching) c.afterUpdate(view);
  }
}
