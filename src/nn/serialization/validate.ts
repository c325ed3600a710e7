/**
 * Small checks shared by the loaders: every value read from a file is checked
 * for type and range before use, so bad input becomes an Error naming the place
 * in the document, never a TypeError from deep inside or a huge allocation.
 */

/** The largest dimension accepted for an input shape (as Layer's own check). */
const MAX_DIM = 1e8;
/** Size limit for a model.json / Keras JSON text (the topology alone is small; weights live in shards). */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

/** "where: expected X; received Y" */
export function typeError(where: string, expected: string, value: unknown): Error {
  return new Error(`${where}: expected ${expected}; received ${preview(value)}`);
}

/**
 * An input shape from a file. With `withBatch` the first entry is the batch
 * axis (null or a number) and is dropped. Returns the shape without the batch axis.
 */
export function checkInputShape(shape: unknown, where: string, withBatch: boolean): number[] {
  if (!Array.isArray(shape) || shape.length > 9) throw typeError(where, 'an array of dimensions', shape);
  const dims = withBatch ? shape.slice(1) : shape;
  if (
    withBatch &&
    shape.length > 0 &&
    shape[0] !== null &&
    !(typeof shape[0] === 'number' && Number.isInteger(shape[0]) && shape[0] > 0)
  ) {
    throw typeError(`${where}[0]`, 'null or a positive integer (the batch axis)', shape[0]);
  }
  if (dims.length === 0)
    throw typeError(
      where,
      withBatch ? '[null, ...feature dimensions] with at least one feature dimension' : 'at least one dimension',
      shape,
    );
  let size = 1;
  for (const d of dims) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d <= 0 || d > MAX_DIM)
      throw typeError(where, `positive integer dimensions up to ${MAX_DIM}`, shape);
    size *= d;
    if (size > 2 ** 31)
      throw new Error(`${where}: input shape ${preview(shape)} has more than 2^31 features per sample`);
  }
  return dims as number[];
}

/** JSON.parse with a size limit and a readable error. */
export function parseJson(text: string, what: string): unknown {
  if (text.length > MAX_JSON_BYTES)
    throw new Error(
      `${what}: ${text.length} characters is more than the ${MAX_JSON_BYTES} accepted for a model description`,
    );
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} is not valid JSON: ${(e as Error).message}`);
  }
  checkJsonDepth(doc, what);
  return doc;
}

/** Deepest nesting of arrays and objects a document may have (every reader below recurses). */
export const MAX_JSON_DEPTH = 200;

/** Throws when `doc` nests arrays/objects deeper than MAX_JSON_DEPTH (checked without recursion). */
export function checkJsonDepth(doc: unknown, what: string): void {
  const stack: [unknown, number][] = [[doc, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH)
      throw new Error(`${what}: the document nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
    for (const child of Object.values(value))
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
}

/**
 * Re-throws an error from a layer or initializer constructor with the place in
 * the document in front. Errors other than plain Error (TypeError, RangeError
 * from a value we did not anticipate) become plain Errors with that context, so
 * callers always get one kind of error for bad input.
 */
export function rethrowWithContext(e: unknown, where: string): never {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof Error && e.constructor === Error) {
    if (message.startsWith(where)) throw e;
    throw new Error(`${where}: ${message}`);
  }
  throw new Error(`${where}: invalid configuration (${message})`);
}
