/**
 * A dense layer (x [N, K] times w [K, M] plus bias [M]) as one kernel while
 * training, with the plain-matMul gradient ops.ts describes.
 *
 * The backends already have a matMul with a bias epilogue (`_FusedMatMul`:
 * one XNNPACK call on wasm, one WGSL program on WebGPU), but TF.js reaches it
 * only through `tf.fused.matMul`, whose gradient uses the transpose flags
 * that are ~10x slower on wasm. `HeedDense` is that same backend kernel under
 * Heed's name, so Heed's gradient can be registered on it: a step records one
 * kernel per layer forward instead of a MatMul, an Add and a custom-gradient
 * scope. Not bit-identical to matMul-then-add on wasm (the bias is added
 * inside the product), so, like the other fused kernels, it runs only while
 * training (see access.ts, fusedBackend).
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedBackend, once, registerOn } from './access.ts';
import { view } from './tape.ts';

const KERNEL = 'HeedDense';

/**
 * Column sums [M] of y [N, M] as ones[1, N] x y. Measured on wasm at
 * [768, 128]: 0.06 ms, against 0.55 ms for tf.sum(y, 0). For gradient
 * functions (no tape): the [1, M] -> [M] reshape is a view, not a kernel.
 */
export function colSum(y: tf.Tensor2D): tf.Tensor1D {
  const row = tf.matMul(tf.ones([1, y.shape[0]]) as tf.Tensor2D, y); // [1, M]
  return (view(row, [y.shape[1]]) ?? tf.reshape(row, [-1])) as tf.Tensor1D;
}

/**
 * x^T dy [K, M] from x [N, K] and dy [N, M]. wasm's transpose is slow on big
 * tensors, so transpose whichever input is smaller (then the small result).
 */
export function weightGrad(x: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  if (x.shape[1] <= dy.shape[1]) return tf.matMul(tf.transpose(x), dy);
  return tf.transpose(tf.matMul(tf.transpose(dy), x));
}

/**
 * The gradients of x w + b: dy w^T, x^T dy and the column sums of dy. On wasm
 * as plain 2-D matMuls with explicit transposes (its transpose flags are
 * ~10x slower); elsewhere with the transpose flags and one column-sum
 * reduction, 3 kernels instead of 6 or 7 (and on WebGPU no upload of ones).
 */
export function denseGrads(x: tf.Tensor2D, w: tf.Tensor2D, dy: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D] {
  return [...matMulGrads(x, w, dy), tf.getBackend() === 'wasm' ? colSum(dy) : (tf.sum(dy, 0) as tf.Tensor1D)];
}

/** The gradients of x w alone: [dy w^T, x^T dy]. */
export function matMulGrads(x: tf.Tensor2D, w: tf.Tensor2D, dy: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  if (tf.getBackend() === 'wasm') return [tf.matMul(dy, tf.transpose(w)), weightGrad(x, dy)];
  return [tf.matMul(dy, w, false, true), tf.matMul(x, dy, true, false)];
}

type In = Record<string, tf.TensorInfo>;

const register = once(() => {
  for (const name of ['wasm', 'cpu', 'webgpu']) {
    const fused = tf.getKernel('_FusedMatMul', name);
    if (!fused) continue;
    registerOn(KERNEL, name, ({ inputs, backend }) => {
      const { x, w, b } = inputs as In;
      const as3d = (t: tf.TensorInfo) => ({ ...t, shape: [1, ...t.shape] });
      const attrs = { transposeA: false, transposeB: false, activation: 'linear', leakyreluAlpha: 0 };
      const out = fused.kernelFunc({ inputs: { a: as3d(x), b: as3d(w), bias: b }, backend, attrs }) as tf.TensorInfo;
      return { ...out, shape: out.shape.slice(1) }; // [1, N, M] -> [N, M]: same values
    });
  }
  tf.registerGradient({
    kernelName: KERNEL,
    inputsToSave: ['x', 'w'],
    gradFunc: (dy, saved) => {
      const [dx, dw, db] = denseGrads(saved[0] as tf.Tensor2D, saved[1] as tf.Tensor2D, dy as tf.Tensor2D);
      return { x: () => dx, w: () => dw, b: () => db };
    },
  });
});

/** x w + b in one kernel, or null where it does not run (see fusedBackend). */
export function denseFused(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D | null {
  const backend = fusedBackend();
  if (!backend || w.rank !== 2 || b.rank !== 1) return null;
  register();
  if (!tf.getKernel(KERNEL, backend)) return null;
  return tf.engine().runKernel(KERNEL, { x, w, b }, {}) as tf.Tensor2D;
}
