#!/usr/bin/env node
/** `keel <command>`: train, summary, demo, doctor, ... (commander parses; each command lives in commands/). */
import { Command } from 'commander';
import { registerTrainCommand } from './commands/train.js';
import { registerSummaryCommand } from './commands/summary.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerExperimentCommand } from './commands/experiment.js';
import { registerLabCommand } from './commands/lab.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerExportCommand } from './commands/export.js';

const program = new Command();
program
  .name('keel')
  .description(
    'Keel: deep networks that train. Train models from JSON configs, diagnose vanishing/exploding gradients, ' +
      'and see the cures.',
  )
  .version('0.1.0')
  .showHelpAfterError();

registerTrainCommand(program);
registerSummaryCommand(program);
registerDemoCommand(program);
registerExperimentCommand(program);
registerLabCommand(program);
registerDoctorCommand(program);
registerExportCommand(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`keel: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
