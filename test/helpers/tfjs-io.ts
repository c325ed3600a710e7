/**
 * TensorFlow.js (core + layers + cpu backend) for the interop tests, with two
 * small IOHandlers: one reading a layers-model directory (model.json + shards,
 * keras-semantics.md §9.2) and one writing what TF.js saves to such a directory.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';

export { tf, tfl };

let ready: Promise<void> | null = null;
export function useCpuBackend(): Promise<void> {
  ready ??= tf.setBackend('cpu').then((ok) => {
    if (!ok) throw new Error('TF.js cpu backend unavailable');
  });
  return ready;
}

interface ManifestGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

/** An IOHandler that loads model.json and its shards from `dir`. */
export function dirReader(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const doc = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
        modelTopology: object;
        weightsManifest: ManifestGroup[];
        format?: string;
        generatedBy?: string;
        convertedBy?: string | null;
      };
      const chunks = doc.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const data = new Uint8Array(total);
      let off = 0;
      for (const c of chunks) {
        data.set(c, off);
        off += c.length;
      }
      return {
        modelTopology: doc.modelTopology,
        weightSpecs: doc.weightsManifest.flatMap((g) => g.weights),
        weightData: data.buffer,
        format: doc.format,
        generatedBy: doc.generatedBy,
        convertedBy: doc.convertedBy ?? undefined,
      };
    },
  };
}

/** An IOHandler that writes TF.js's artifacts to `dir` as model.json + group1-shard1of1.bin. */
export function dirWriter(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts: tf.io.ModelArtifacts) => {
      mkdirSync(dir, { recursive: true });
      const data = artifacts.weightData as ArrayBuffer;
      writeFileSync(join(dir, 'group1-shard1of1.bin'), new Uint8Array(data));
      const doc = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }],
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(doc));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
  };
}
