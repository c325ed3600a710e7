/** `keel summary config.json`: the model table, built for the config's data shape. */
import type { Command } from 'commander';
import { parseRunConfig, buildModel, loadRunData } from '../../run-config/index.js';

export function registerSummaryCommand(program: Command): void {
  program
    .command('summary')
    .description('print the model table (layers, output shapes, parameter counts) of a config')
    .argument('<config>', 'run config JSON file')
    .action((configPath: string) => {
      const config = parseRunConfig(configPath);
      const data = loadRunData(config);
      buildModel(config, data.inputShape).summary((text) => process.stdout.write(`${text}\n`));
    });
}
