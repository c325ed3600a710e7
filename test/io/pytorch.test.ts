/**
 * The path to PyTorch (examples/pytorch-ddp): a Keel `.safetensors` export rebuilt as torch.nn predicts what
 * Keel predicts, and a 2-process DistributedDataParallel run (gloo on 127.0.0.1, started by torchrun)
 * continues training with a falling loss and identical replicas, writing a file Keel loads back.
 *
 * Python runs at test time for this feature only: .ci/run installs Debian's python3-torch. Without torch
 * (or, for the Keras 3 script, without keras) the tests skip and print why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential, layers, loadModel, setSeed, tensor, type Model, type Tensor } from '../../src/index.js';
import { encodeSafetensors, parseSafetensorsHeader, readSafetensor } from '../../src/io/model-files/safetensors.js';
import { imageInput, imageModel, sequenceInput, sequenceModel } from './every-layer-models.js';

const PYTHON = '/usr/bin/python3';
const EXAMPLE = 'examples/pytorch-ddp';
const dir = mkdtempSync(join(tmpdir(), 'keel-pytorch-'));

function pythonHas(module: string): string | null {
  const r = spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} cannot run (${r.error.message})`;
  return r.status === 0 ? null : `${PYTHON} cannot import ${module} (${r.stderr.trim().split('\n').at(-1)})`;
}

const noTorch = pythonHas('torch');
if (noTorch !== null) console.log(`skipping the PyTorch tests: ${noTorch}; .ci/run installs python3-torch`);

function python(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(PYTHON, args, {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', ...env },
    // A safety net, not a measurement: a hung child (torch 1.13's DDP teardown once did) fails the test with its
    // output instead of blocking the suite. The runs take seconds.
    timeout: 10 * 60_000,
  });
  const how = r.error !== undefined ? ` (${r.error.message})` : '';
  assert.equal(r.status, 0, `${args.join(' ')}${how}\n${r.stdout}\n${r.stderr}`);
  return r;
}

function tensorFile(path: string, tensors: Record<string, Tensor>): void {
  writeFileSync(
    path,
    encodeSafetensors(Object.entries(tensors).map(([name, t]) => ({ name, shape: [...t.shape], data: t.data }))),
  );
}

function readTensor(path: string, name: string): Float32Array {
  const bytes = new Uint8Array(readFileSync(path));
  const parsed = parseSafetensorsHeader(bytes, path);
  const spec = parsed.tensors.find((t) => t.name === name);
  assert.ok(spec !== undefined, `${path} has no tensor ${name}`);
  return readSafetensor(bytes, parsed, spec);
}

for (const [name, make, input] of [
  ['image model (Conv2D, pooling, BN, LayerNorm, PReLU, merges...)', imageModel, imageInput],
  ['sequence model (Embedding, Conv1D causal, SimpleRNN, GRU, LSTM...)', sequenceModel, sequenceInput],
] as const) {
  test(
    `PyTorch rebuilds the ${name} from .safetensors and predicts the same (≤ 1e-5)`,
    { skip: noTorch ?? false },
    async () => {
      const model: Model = make();
      const x = input(6);
      const modelPath = join(dir, `${model.name}.safetensors`);
      await model.save(modelPath);
      tensorFile(join(dir, `${model.name}-x.safetensors`), { x });
      python([
        `${EXAMPLE}/predict.py`,
        modelPath,
        join(dir, `${model.name}-x.safetensors`),
        join(dir, `${model.name}-y.safetensors`),
      ]);
      const torchY = readTensor(join(dir, `${model.name}-y.safetensors`), 'y');
      const keelY = model.predict(x).data;
      assert.equal(torchY.length, keelY.length);
      const diff = Math.max(...keelY.map((v, i) => Math.abs(v - torchY[i]!)));
      console.log(`${model.name}: max |Keel − PyTorch| = ${diff.toExponential(2)}`);
      assert.ok(diff <= 1e-5, `max abs diff ${diff}`);
    },
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

test(
  'torchrun --nproc_per_node=2 (gloo, 127.0.0.1) continues training: loss falls, replicas equal, Keel reads it',
  { skip: noTorch ?? false },
  async () => {
    setSeed(5);
    const n = 256;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = Math.sin(i * 1.3),
        b = Math.cos(i * 0.7),
        c = Math.sin(i * 0.31 + 1);
      xs.push(a, b, c, a * b);
      ys.push(a + b * c > 0 ? 1 : 0);
    }
    const x = tensor(xs, [n, 4]);
    const y = tensor(ys, [n]);
    const model = new Sequential([
      new layers.Dense(16, { inputShape: [4], activation: 'relu' }),
      new layers.BatchNormalization(),
      new layers.Dropout(0.1),
      new layers.Dense(2, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    await model.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0 });
    const keelBefore = model.evaluate(x, y, { batchSize: n }).loss!;
    await model.save(join(dir, 'ddp.safetensors'));
    tensorFile(join(dir, 'ddp-data.safetensors'), { x, y });
    const port = await freePort();
    const started = process.hrtime.bigint();
    // --redirects 1 --tee 1: Debian's torch 1.13 on Python 3.11 cannot parse torchrun's default "0" (an IntFlag
    // change); stdout goes to a log and the console, and the result is also written to --report.
    python(
      [
        '-m',
        'torch.distributed.run',
        '--nproc_per_node=2',
        '--master_addr=127.0.0.1',
        `--master_port=${port}`,
        '--redirects',
        '1',
        '--tee',
        '1',
        `${EXAMPLE}/train_ddp.py`,
        join(dir, 'ddp.safetensors'),
        join(dir, 'ddp-data.safetensors'),
        '--epochs',
        '4',
        '--batch-size',
        '16',
        '--lr',
        '0.01',
        '--out',
        join(dir, 'ddp-trained.safetensors'),
        '--report',
        join(dir, 'ddp-report.json'),
      ],
      { GLOO_SOCKET_IFNAME: 'lo', MASTER_ADDR: '127.0.0.1' },
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const report = JSON.parse(readFileSync(join(dir, 'ddp-report.json'), 'utf8')) as {
      world_size: number;
      loss_before: number;
      loss_after: number;
      replicas: string[];
    };
    console.log(
      `DDP: ${report.world_size} processes, loss ${report.loss_before.toFixed(5)} → ` +
        `${report.loss_after.toFixed(5)}, ` +
        `${seconds.toFixed(1)} s (informational)`,
    );
    assert.equal(report.world_size, 2);
    assert.ok(Math.abs(report.loss_before - keelBefore) <= 1e-5, `torch ${report.loss_before} vs Keel ${keelBefore}`);
    assert.ok(report.loss_after < report.loss_before, 'the loss falls under DDP');
    assert.equal(report.replicas.length, 2);
    assert.equal(report.replicas[0], report.replicas[1], 'both replicas hold the same parameters and buffers');
    const trained = await loadModel(join(dir, 'ddp-trained.safetensors'));
    trained.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const keelAfter = trained.evaluate(x, y, { batchSize: n }).loss!;
    assert.ok(Math.abs(keelAfter - report.loss_after) <= 1e-5, `Keel ${keelAfter} vs torch ${report.loss_after}`);
  },
);

const noKeras = pythonHas('keras');
test('Keras 3 loads the .keras archive and fits under DataParallel', { skip: noKeras ?? false }, async () => {
  const model = new Sequential([new layers.Dense(2, { inputShape: [3], activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  await model.save(join(dir, 'k.keras'));
  const script =
    'import numpy as np, sys; np.savez(sys.argv[1], x=np.random.rand(64, 3).astype("float32"), ' +
    'y=(np.arange(64) % 2).astype("int64"))';
  python(['-c', script, join(dir, 'k.npz')]);
  python([
    `${EXAMPLE}/keras_ddp.py`,
    join(dir, 'k.keras'),
    join(dir, 'k.npz'),
    '--epochs',
    '1',
    '--out',
    join(dir, 'k2.keras'),
  ]);
  await loadModel(join(dir, 'k2.keras'));
});
if (noKeras !== null) console.log(`skipping the Keras 3 test: ${noKeras} (keras is not installable here)`);
