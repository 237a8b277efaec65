/**
 * What Heed's own kernels need from the TF.js backends they run on, and how
 * they are registered.
 *
 * The wasm and cpu backends keep float32 values in memory JavaScript can read
 * (the wasm heap, typed arrays), so a kernel there is a plain loop; WebGPU
 * runs a WGSL program through the backend's own `runWebGPUProgram`. These
 * are the few backend methods the kernels use, typed structurally (the
 * backends' classes are not exported where Heed imports TF.js).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { tapeViews } from './tape.ts';

export interface WasmLike {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}
export interface CpuLike {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}
export interface WebGpuLike {
  runWebGPUProgram(program: WebGPUProgram, inputs: tf.TensorInfo[], dtype: 'float32', uniforms: { type: 'float32' | 'int32'; data: number[] }[]): tf.TensorInfo;
}

export const sizeOf = (shape: number[]) => shape.reduce((x, y) => x * y, 1);

/** New float32 outputs of the given shapes on a CPU backend, and a way to read any tensor's values there. */
export interface CpuMemory {
  read(t: tf.TensorInfo): Float32Array;
  /** Allocate outputs; fill `values(i)` before `infos()` hands them to TF.js. */
  outputs(shapes: number[][]): { values: Float32Array[]; infos(): tf.TensorInfo[] };
}

/** Memory access on wasm (the backend's heap) or cpu (plain typed arrays). */
export function cpuMemory(backendName: 'wasm' | 'cpu', backend: unknown): CpuMemory {
  if (backendName === 'wasm') {
    const be = backend as WasmLike;
    return {
      read: (t) => be.typedArrayFromHeap(t),
      outputs(shapes) {
        const infos = shapes.map((s) => be.makeOutput(s, 'float32')); // allocate all first: the heap may grow
        return { values: infos.map((i) => be.typedArrayFromHeap(i)), infos: () => infos };
      },
    };
  }
  const be = backend as CpuLike;
  return {
    read: (t) => be.data.get(t.dataId).values as Float32Array,
    outputs(shapes) {
      const values = shapes.map((s) => new Float32Array(sizeOf(s)));
      return { values, infos: () => values.map((v, i) => be.makeTensorInfo(shapes[i], 'float32', v)) };
    },
  };
}

/** Register a kernel on one backend once (registration is global to TF.js). */
export function registerOn(kernelName: string, backendName: string, kernelFunc: tf.KernelFunc): void {
  if (!tf.getKernel(kernelName, backendName)) tf.registerKernel({ kernelName, backendName, kernelFunc });
}

/** int32 values (targets) on a CPU backend. */
export function readInt(backendName: 'wasm' | 'cpu', backend: unknown, t: tf.TensorInfo): Int32Array {
  if (backendName === 'wasm') return (backend as { typedArrayFromHeap(t: tf.TensorInfo): Int32Array }).typedArrayFromHeap(t);
  return (backend as { data: { get(id: object): { values: Int32Array } } }).data.get(t.dataId).values;
}

/**
 * Where the fused training kernels run: the active backend when it is one
 * they are written for and a gradient tape is recording, else null (the op
 * composition runs). Inference keeps the op composition on purpose: its
 * results stay bit for bit what the shipped models were measured with, and
 * the fused kernels are not bit-identical (they reduce in float64). Where
 * they run, the tape saves tensors as views from then on (tape.ts).
 */
export function fusedBackend(): 'wasm' | 'cpu' | 'webgpu' | null {
  const state = (tf.engine() as unknown as { state: { gradientDepth: number; kernelDepth: number } }).state;
  if (state.gradientDepth === 0 || state.kernelDepth > 0) return null;
  const name = tf.getBackend();
  if (name !== 'wasm' && name !== 'cpu' && name !== 'webgpu') return null;
  installViews();
  return name;
}

const installViews = once(() => tapeViews(true));

/**
 * A WGSL program of `threads` threads (64 per workgroup, at most 65,535
 * workgroups: a body with more work than that loops with a stride of
 * `i32(numWorkgroups.x) * 64`; the one-thread-per-row bodies do not, and
 * Heed's rows number tens of thousands, not millions), with i32 uniforms.
 */
export class WgslProgram {
  outputShape: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  uniforms: string;

  constructor(
    public variableNames: string[],
    outputShape: number[],
    threads: number,
    uniformNames: string[],
    public shaderKey: string,
    private body: string,
  ) {
    this.outputShape = outputShape;
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    this.dispatch = [Math.min(65_535, Math.max(1, Math.ceil(threads / 64))), 1, 1];
    this.uniforms = uniformNames.map((u) => `${u} : i32,`).join(' ');
  }

  getUserCode(): string {
    return this.body;
  }
}

/** Run a WgslProgram on the WebGPU backend with integer uniforms. */
export function runWgsl(backend: unknown, program: WgslProgram, inputs: tf.TensorInfo[], ints: number[]): tf.TensorInfo {
  return (backend as WebGpuLike).runWebGPUProgram(program as unknown as WebGPUProgram, inputs, 'float32', ints.map((n) => ({ type: 'int32', data: [n] })));
}

export type KernelBackend = 'wasm' | 'cpu' | 'webgpu';

/**
 * Register a family of kernels on every backend: `make` builds the CPU
 * backends' and WebGPU's implementations, `names` maps kernel names to them
 * (undefined: not on that backend).
 */
export function registerAll<K>(
  make: { cpu: (backend: 'wasm' | 'cpu') => K; webgpu: () => K },
  names: (k: K, backend: KernelBackend) => Record<string, tf.KernelFunc | undefined>,
): void {
  for (const b of ['wasm', 'cpu', 'webgpu'] as const) {
    const k = b === 'webgpu' ? make.webgpu() : make.cpu(b);
    for (const [name, f] of Object.entries(names(k, b))) if (f) registerOn(name, b, f);
  }
}

/** `f` on the first call only (kernel and gradient registration is global to TF.js). */
export function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (!done) f();
    done = true;
  };
}
