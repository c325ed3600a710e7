/**
 * A functional model's config → its layers (constructed, not built) and its graph,
 * reading both dialects (keras-semantics.md §9.1):
 *  - Keras 3 (`keras/src/models/functional.py` get_config / functional_from_config,
 *    `keras/src/saving/serialization_lib.py`): each layer entry carries `name` and
 *    `inbound_nodes: [{args: [...], kwargs: {...}}]`, where a tensor is
 *    `{class_name: '__keras_tensor__', config: {shape, dtype, keras_history: [layer, node, tensor]}}`
 *    and a merge layer's single argument is a list of them;
 *  - tf.keras 2 / TF.js: `inbound_nodes: [[[layer, node, tensor, kwargs], ...], ...]`, one list of
 *    inputs per call (several inputs: a call on a list).
 * `input_layers` / `output_layers` are one [layer, node, tensor] or a list of them.
 * The graph is rebuilt by `buildFunctional` (load.ts), calling layers in an order
 * where every input exists, as Keras's functional_from_config does.
 */
import { layerFromConfig, type CustomObjects, type Layer } from '../layers/index.js';
import { Model } from '../functional.js';
import { SymbolicTensor } from '../graph/symbolic.js';
import { formatShape } from '../../tensor/shape.js';
import { LIMITS } from './weights.js';
import { checkInputShape, isPlainObject, rethrowWithContext, typeError } from './validate.js';
import { checkLayerConfig, type Dialect } from './import-topology.js';

/** [layer name, node index, tensor index]. */
export type TensorRef = [string, number, number];

export interface FunctionalTopology {
  name: string | undefined;
  dialect: Dialect;
  inputs: { name: string; shape: number[] }[];
  layers: Layer[];
  /** For each layer (same order), its calls: the tensors read and whether the call was on a list. */
  calls: { inputs: TensorRef[]; list: boolean }[][];
  inputRefs: TensorRef[];
  outputRefs: TensorRef[];
}

const MAX_LAYERS = 10_000;

function tensorRef(v: unknown, where: string): TensorRef {
  if (
    !Array.isArray(v) ||
    v.length < 3 ||
    typeof v[0] !== 'string' ||
    !Number.isInteger(v[1]) ||
    (v[1] as number) < 0 ||
    !Number.isInteger(v[2]) ||
    (v[2] as number) < 0
  )
    throw typeError(where, '[layer name, node index, tensor index]', v);
  return [v[0], v[1] as number, v[2] as number];
}

/** One or a list of [layer, node, tensor] (Keras 3 writes a single input unwrapped). */
function refList(v: unknown, where: string): TensorRef[] {
  if (Array.isArray(v) && typeof v[0] === 'string') return [tensorRef(v, where)];
  if (!Array.isArray(v) || v.length === 0) throw typeError(where, 'a list of [layer, node, tensor]', v);
  return v.map((r, i) => tensorRef(r, `${where}[${i}]`));
}

/** A Keras 3 `__keras_tensor__` object → its history. */
function kerasTensor(v: unknown, where: string): TensorRef {
  if (!isPlainObject(v) || v.class_name !== '__keras_tensor__' || !isPlainObject(v.config))
    throw typeError(where, "a {class_name: '__keras_tensor__', config: {keras_history}} tensor", v);
  return tensorRef(v.config.keras_history, `${where}.config.keras_history`);
}

/** One node of `inbound_nodes`, in either dialect. */
function parseNode(node: unknown, where: string): { inputs: TensorRef[]; list: boolean } {
  if (isPlainObject(node)) {
    const args = node.args;
    if (!Array.isArray(args) || args.length !== 1)
      throw typeError(`${where}.args`, 'a list holding the one input (a tensor or a list of tensors)', args);
    const a = args[0];
    if (Array.isArray(a)) return { inputs: a.map((t, i) => kerasTensor(t, `${where}.args[0][${i}]`)), list: true };
    return { inputs: [kerasTensor(a, `${where}.args[0]`)], list: false };
  }
  if (!Array.isArray(node) || node.length === 0)
    throw typeError(where, 'a node {args, kwargs} or a list of [layer, node, tensor, kwargs]', node);
  const inputs = node.map((r, i) => tensorRef(r, `${where}[${i}]`));
  return { inputs, list: inputs.length > 1 };
}

export function importFunctional(
  top: Record<string, unknown>,
  where: string,
  customObjects: CustomObjects | undefined,
  dialectOf: (entries: unknown[]) => Dialect,
): FunctionalTopology {
  const config = top.config;
  if (!isPlainObject(config) || !Array.isArray(config.layers))
    throw typeError(`${where}.config`, '{name, layers: [...], input_layers, output_layers}', config);
  const entries = config.layers;
  if (entries.length > MAX_LAYERS)
    throw new Error(`${where}.config.layers: ${entries.length} layers is more than the ${MAX_LAYERS} allowed`);
  if (config.name !== undefined && typeof config.name !== 'string')
    throw typeError(`${where}.config.name`, 'a string', config.name);
  const dialect = dialectOf(entries);
  const inputs: FunctionalTopology['inputs'] = [];
  const layers: Layer[] = [];
  const calls: FunctionalTopology['calls'] = [];
  const names = new Set<string>();
  entries.forEach((entry, i) => {
    const lw = `${where}.config.layers[${i}]`;
    if (!isPlainObject(entry) || typeof entry.class_name !== 'string')
      throw typeError(lw, 'a {class_name, config, name, inbound_nodes} object', entry);
    const raw = entry.config ?? {};
    if (!isPlainObject(raw)) throw typeError(`${lw}.config`, 'an object', raw);
    const name = entry.name ?? raw.name;
    if (typeof name !== 'string' || name.length === 0 || name.length > 256)
      throw typeError(`${lw}.name`, 'a non-empty string', name);
    if (names.has(name)) throw new Error(`${lw}: two layers are named '${name}'`);
    names.add(name);
    if (entry.class_name === 'InputLayer') {
      const shape = raw.batch_shape ?? raw.batch_input_shape ?? raw.batchInputShape;
      if (shape === undefined || shape === null) throw new Error(`${lw}.config: an InputLayer needs batch_shape`);
      if (raw.dtype !== undefined) checkLayerConfig('InputLayer', { dtype: raw.dtype }, dialect, `${lw}.config`);
      inputs.push({ name, shape: checkInputShape(shape, `${lw}.config.batch_shape`, true) });
      return;
    }
    const cfg = checkLayerConfig(entry.class_name, { ...raw, name }, dialect, `${lw}.config`);
    try {
      layers.push(layerFromConfig({ class_name: entry.class_name, config: cfg }, lw, customObjects));
    } catch (e) {
      rethrowWithContext(e, lw);
    }
    const nodes = entry.inbound_nodes ?? [];
    if (!Array.isArray(nodes)) throw typeError(`${lw}.inbound_nodes`, 'a list', nodes);
    calls.push(nodes.map((n, k) => parseNode(n, `${lw}.inbound_nodes[${k}]`)));
  });
  if (inputs.length === 0) throw new Error(`${where}: the functional model has no InputLayer`);
  if (layers.length === 0) throw new Error(`${where}: the model has no layers`);
  return {
    name: config.name as string | undefined,
    dialect,
    inputs,
    layers,
    calls,
    inputRefs: refList(config.input_layers, `${where}.config.input_layers`),
    outputRefs: refList(config.output_layers, `${where}.config.output_layers`),
  };
}

/**
 * Calls the layers on placeholders, node by node, until the graph is rebuilt (each layer's weights are checked
 * against the parameter limit before it builds). Throws on loops, missing layers and disconnected nodes.
 */
export function buildFunctional(topo: FunctionalTopology, where: string): Model {
  const inputs = new Map(topo.inputs.map((i) => [i.name, new SymbolicTensor(i.shape, null, i.name)]));
  const byName = new Map(topo.layers.map((l) => [l.name, l]));
  const outputsOf = new Map<string, SymbolicTensor[]>();
  const lookup = (r: TensorRef, at: string): SymbolicTensor | null => {
    const [name, node, tensor] = r;
    if (tensor !== 0) throw new Error(`${at}: tensor index ${tensor} of '${name}' (Keel layers have one output)`);
    const input = inputs.get(name);
    if (input !== undefined) {
      if (node !== 0) throw new Error(`${at}: input '${name}' has one node; received node index ${node}`);
      return input;
    }
    if (!byName.has(name)) throw new Error(`${at}: no layer or input named '${name}'`);
    return outputsOf.get(name)?.[node] ?? null;
  };
  let params = 0;
  const pending = topo.layers.map((_l, i) => 0); // calls done per layer
  let remaining = topo.calls.reduce((n, c) => n + c.length, 0);
  while (remaining > 0) {
    let progressed = false;
    topo.layers.forEach((layer, i) => {
      const calls = topo.calls[i]!;
      while (pending[i]! < calls.length) {
        const call = calls[pending[i]!]!;
        const at = `${where}: layer '${layer.name}' inbound node ${pending[i]}`;
        const xs = call.inputs.map((r) => lookup(r, at));
        if (xs.some((x) => x === null)) break;
        const ts = xs as SymbolicTensor[];
        if (!layer.built && !call.list) {
          for (const spec of layer.weightSpecs([...ts[0]!.shape]) ?? []) {
            params += spec.shape.reduce((p, d) => p * d, 1);
            if (params > LIMITS.maxParams)
              throw new Error(
                `${where}: layer '${layer.name}' (${layer.className}) would create weight '${spec.name}' of shape ` +
                  `${formatShape(spec.shape)}, taking the model past ${LIMITS.maxParams} parameters (the limit ` +
                  `for a loaded model)`,
              );
          }
        }
        let out: SymbolicTensor;
        try {
          out = call.list ? layer.apply(ts) : layer.apply(ts[0]!);
        } catch (e) {
          rethrowWithContext(e, at);
        }
        const list = outputsOf.get(layer.name) ?? [];
        list.push(out);
        outputsOf.set(layer.name, list);
        pending[i]!++;
        remaining--;
        progressed = true;
      }
    });
    if (!progressed)
      throw new Error(
        `${where}: the functional graph has a loop or a node whose inputs never exist (layers waiting: ` +
          `${topo.layers
            .filter((_l, i) => pending[i]! < topo.calls[i]!.length)
            .map((l) => l.name)
            .join(', ')})`,
      );
  }
  const resolve = (r: TensorRef, at: string) => {
    const t = lookup(r, at);
    if (t === null) throw new Error(`${at}: [${r.join(', ')}] names a node that does not exist`);
    return t;
  };
  const ins = topo.inputRefs.map((r, i) => resolve(r, `${where}.config.input_layers[${i}]`));
  const outs = topo.outputRefs.map((r, i) => resolve(r, `${where}.config.output_layers[${i}]`));
  try {
    return new Model({ inputs: ins, outputs: outs, ...(topo.name !== undefined ? { name: topo.name } : {}) });
  } catch (e) {
    rethrowWithContext(e, where);
  }
}
