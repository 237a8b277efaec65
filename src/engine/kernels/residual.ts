/**
 * The residual stream's add (x + block(x)) while training, without the
 * reshapes of TF.js's Add gradient.
 *
 * TF.js's Add gradient reshapes dy to each input's shape whether or not the
 * shapes differ: two Reshape kernels per add, 16 per `baby` training step.
 * `HeedResidualAdd` is the backend's own Add kernel under Heed's name (the
 * same values, bit for bit), with a gradient that hands dy to both inputs as
 * views (tape.ts), so backward costs no kernel at all. Same-shape inputs
 * only; it runs while training on wasm, cpu and WebGPU (see access.ts,
 * fusedBackend), and inference keeps tf.add.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedBackend, once, registerOn } from './access.ts';
import { view } from './tape.ts';

const KERNEL = 'HeedResidualAdd';

const register = once(() => {
  for (const name of ['wasm', 'cpu', 'webgpu']) {
    const add = tf.getKernel('Add', name);
    if (add) registerOn(KERNEL, name, (args) => add.kernelFunc(args));
  }
  tf.registerGradient({
    kernelName: KERNEL,
    gradFunc: (dy) => {
      const g = dy as tf.Tensor;
      const pass = () => view(g) ?? tf.clone(g); // a distinct tensor per input: the tape disposes each on its own
      return { a: pass, b: pass };
    },
  });
});

/** a + b (same shape): one kernel forward and none backward while training, tf.add otherwise. */
export function residualAdd(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const backend = fusedBackend();
  if (!backend || a.shape.join() !== b.shape.join() || a.dtype !== 'float32' || b.dtype !== 'float32') return tf.add(a, b);
  register();
  if (!tf.getKernel(KERNEL, backend)) return tf.add(a, b);
  return tf.engine().runKernel(KERNEL, { a, b }, {}) as tf.Tensor2D;
}
