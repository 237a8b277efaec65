/**
 * The gradient tape's saved tensors as views of their data, not copies.
 *
 * TF.js keeps each tensor a gradient will need through `engine.clone`, which
 * runs an Identity kernel: on wasm a copy of the whole tensor, on cpu and
 * WebGPU a reference count, but one more kernel launch either way (118 of
 * the 460 kernels of a `baby` training step on wasm, 98 of 293 on cpu). A
 * tensor's data never changes once written (a Variable's `assign` points it
 * at new data and releases the old; no kernel writes into an input), so the
 * saved tensor can share its data: a new Tensor over the same data id, with
 * the owning backend's reference count raised, exactly what those backends'
 * own Identity kernels return on cpu and WebGPU, without the launch. The tape
 * gets the same node the clone adds (its gradient a Cast to float32), so
 * backprop walks the same graph and every value is bit for bit what it was.
 *
 * It replaces the method on TF.js's engine (4.22.0; Heed pins that version)
 * and applies to the wasm, cpu and WebGPU backends, whose reference counts
 * it relies on; elsewhere (webgl) the clone runs as before. The tape is on
 * only while gradients are recorded, so inference never reaches it.
 */
import * as tf from '@tensorflow/tfjs-core';

interface Refcounted {
  incRef(dataId: object): void;
}
interface EngineInternals {
  clone(x: tf.Tensor): tf.Tensor;
  backendName: string;
  makeTensorFromTensorInfo(info: tf.TensorInfo, backend: unknown): tf.Tensor;
  addTapeNode(scope: string, inputs: tf.NamedTensorMap, outputs: tf.Tensor[], grad: (dy: tf.Tensor) => Record<string, () => tf.Tensor>, saved: tf.Tensor[], attrs: object): void;
  state: { activeScope: { name: string }; tensorInfo: Map<object, { backend: Refcounted }> };
}

const VIEW_BACKENDS = new Set(['wasm', 'cpu', 'webgpu']);

/**
 * A new tensor over t's data (the owning backend's reference count raised),
 * with another shape of the same size if given: a clone or reshape without
 * a kernel, and without a tape node, so only for gradient functions and
 * other code no gradient flows through. Null where t's backend counts no
 * references (the caller then runs the op).
 */
export function view(t: tf.Tensor, shape: number[] = t.shape): tf.Tensor | null {
  const engine = tf.engine() as unknown as EngineInternals;
  const owner = engine.state.tensorInfo.get(t.dataId)?.backend;
  if (!owner || typeof owner.incRef !== 'function' || t.dtype === 'string' || !VIEW_BACKENDS.has(engine.backendName)) return null;
  if (shape.reduce((a, b) => a * b, 1) !== t.size) throw new Error(`view: [${shape}] does not hold the ${t.size} values of [${t.shape}]`);
  owner.incRef(t.dataId);
  return engine.makeTensorFromTensorInfo({ dataId: t.dataId, shape, dtype: t.dtype }, owner);
}

let copyingClone: ((x: tf.Tensor) => tf.Tensor) | null = null;

/** Turn saved-tensor views on (the default once the training kernels register) or off (tests compare both). */
export function tapeViews(on: boolean): void {
  const engine = tf.engine() as unknown as EngineInternals;
  if (typeof engine.clone !== 'function' || typeof engine.addTapeNode !== 'function') return; // another TF.js: leave it be
  if (!on) {
    if (copyingClone) engine.clone = copyingClone;
    copyingClone = null;
    return;
  }
  if (copyingClone) return;
  const copy = engine.clone.bind(engine);
  copyingClone = engine.clone;
  engine.clone = (x: tf.Tensor) => {
    const y = view(x);
    if (!y) return copy(x);
    const grad = (dy: tf.Tensor) => ({ x: () => tf.engine().runKernel(tf.Cast, { x: dy }, { dtype: 'float32' }) as tf.Tensor });
    engine.addTapeNode(engine.state.activeScope.name, { x }, [y], grad, [], {});
    return y;
  };
}
