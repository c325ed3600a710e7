/** LambdaCallback (Keras `lambda_callback.py`): a callback made of the functions given. */
import { checkArgs, invalidArgError, type ArgSpec } from '../../util/args.js';
import { Callback, type Logs } from './base.js';

type Result = void | Promise<void>;

export interface LambdaCallbackArgs {
  onEpochBegin?: (epoch: number, logs?: Logs) => Result;
  onEpochEnd?: (epoch: number, logs?: Logs) => Result;
  onBatchBegin?: (batch: number, logs?: Logs) => Result;
  onBatchEnd?: (batch: number, logs?: Logs) => Result;
  onTrainBegin?: (logs?: Logs) => Result;
  onTrainEnd?: (logs?: Logs) => Result;
}

const EVENTS = ['onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'onTrainBegin', 'onTrainEnd'] as const;
const LAMBDA_SPEC: ArgSpec = Object.fromEntries(EVENTS.map((e) => [e, { type: 'any' }]));

/**
 * @example new LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss) })
 */
export class LambdaCallback extends Callback {
  constructor(args: LambdaCallbackArgs = {}) {
    super();
    checkArgs(args, LAMBDA_SPEC, 'LambdaCallback');
    for (const event of EVENTS) {
      const fn = args[event];
      if (fn === undefined || fn === null) continue;
      if (typeof fn !== 'function')
        throw invalidArgError(event, 'LambdaCallback', 'a function', fn, `${event} is called as Callback.${event}.`);
      (this as unknown as Record<string, unknown>)[event] = fn;
    }
  }
}
