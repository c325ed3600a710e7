/**
 * `keel export MODEL OUT`: converts a model between the formats Keel reads and writes, by what each path names:
 * a TF.js layers-model folder, a Keras 3 `.keras` archive, a `.safetensors` file (weights + Keras config), or
 * (to read only) a legacy Keras 2 `.h5` file. A compiled `.keras` keeps its optimizer state when the output is
 * `.keras` too.
 */
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { loadModel } from '../../nn/serialization/load.js';

export async function runExport(input: string, output: string): Promise<{ bytes: number; params: number }> {
  if (input === output) throw new Error(`keel export: MODEL and OUT are the same path '${input}'`);
  if (/\.(h5|hdf5)$/i.test(output))
    throw new Error(
      `keel export: OUT '${output}' names a legacy Keras 2 .h5 file, which Keel reads but does not write; use ` +
        '.keras (Keras 3), .safetensors, or a folder (TF.js layers format)',
    );
  const model = await loadModel(input);
  await model.save(output);
  const stat = statSync(output);
  const bytes = stat.isFile() ? stat.size : statSync(`${output}/model.json`).size;
  return { bytes, params: model.countParams() };
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      'convert a model between formats: a folder (TF.js layers), x.keras (Keras 3), x.safetensors; reads legacy x.h5',
    )
    .argument('<model>', 'the model to read: a folder with model.json, x.keras, x.safetensors or x.h5')
    .argument('<out>', 'where to write it: a folder, x.keras or x.safetensors')
    .action(async (input: string, output: string) => {
      const { bytes, params } = await runExport(input, output);
      process.stdout.write(`Wrote ${output} (${params} parameters, ${bytes} bytes)\n`);
    });
}
