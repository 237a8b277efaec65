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
