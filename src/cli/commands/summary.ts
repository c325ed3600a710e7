/**
 * `keel summary config.json`: the model table, for the config's data shape. It plans the model (shapes and
 * parameter counts from each layer's weightSpecs) without allocating a weight, and checks what `keel train`
 * checks before training (labels against the output units).
 */
import type { Command } from 'commander';
import { parseRunConfig, planModel, loadRunData, checkDataFitsModel } from '../../run-config/index.js';

export function registerSummaryCommand(program: Command): void {
  program
    .command('summary')
    .description('print the model table (layers, output shapes, parameter counts) of a config')
    .argument('<config>', 'run config JSON file')
    .action((configPath: string) => {
      const config = parseRunConfig(configPath);
      const data = loadRunData(config);
      const { plan, text } = planModel(config, data.inputShape);
      const warnings = checkDataFitsModel(config, plan, data);
      process.stdout.write(`${text}\n`);
      for (const w of warnings) process.stdout.write(`${w}\n`);
    });
}
