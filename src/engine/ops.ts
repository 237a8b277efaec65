/**
 * The few tensor ops the GPT needs, written so that every backend trains and
 * the wasm backend stays on its fast paths.
 *
 * Measured on the wasm backend (2-core machine): a plain 2-D matMul runs at
 * ~40 GFLOP/s, the same product with a transpose flag at ~3 GFLOP/s; the
 * gather kernel has no gradient there at all. So:
 * - `linear` is a 2-D matMul whose gradient, on wasm, transposes explicitly,
 *   then runs plain matMuls (TF.js's own MatMul gradient uses the transpose
 *   flags; the other backends do too, in fewer kernels: kernels/dense.ts).
 * - `embed` is one-hot x table, and its gradient is another plain matMul.
 * Everything else is ordinary TF.js autodiff, except where a fused kernel
 * (kernels/) replaces an op composition while training; the composition stays
 * here as the reference the kernel is tested against, and for inference.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { colSum, denseFused, denseGrads, matMulGrads } from './kernels/dense.ts';
import { geluFused } from './kernels/gelu.ts';
import { layerNormFused } from './kernels/layerNorm.ts';
import { tokenLogProbsFused } from './kernels/softmax.ts';

type Args = (tf.Tensor | tf.GradSaveFunc)[];

/** x [N, K] times w [K, M] -> [N, M], with a gradient made of plain 2-D matMuls. */
export const linear = tf.customGrad((...args: Args) => {
  const [x, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xs, ws] = saved as tf.Tensor2D[];
      const g = dy as tf.Tensor2D;
      return matMulGrads(xs, ws, g);
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** x [N, K] times w [K, M] plus bias [M], with the same plain-matMul gradients as `linear`. */
export const denseOps = tf.customGrad((...args: Args) => {
  const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x, w), b) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xs, ws] = saved as tf.Tensor2D[];
      const g = dy as tf.Tensor2D;
      return denseGrads(xs, ws, g);
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor) => tf.Tensor2D;

/** x w + b: one kernel while training (kernels/dense.ts), the ops above otherwise. */
export const dense = (x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D => denseFused(x, w, b) ?? denseOps(x, w, b);

/**
 * Embedding lookup as a matMul: rows of `table` [V, C] for `ids` [N] -> [N, C].
 * The gradient (one-hot^T x dy) is a plain matMul, so it works on wasm.
 */
export function embed(ids: tf.Tensor1D, table: tf.Tensor2D): tf.Tensor2D {
  const V = table.shape[0];
  const oneHot = tf.cast(tf.oneHot(ids, V), 'float32') as tf.Tensor2D; // [N, V]
  const f = tf.customGrad((...args: Args) => {
    const [t, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([oneHot]);
    return {
      value: tf.matMul(oneHot, t),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [
        tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy as tf.Tensor2D),
      ],
    };
  }) as (t: tf.Tensor2D) => tf.Tensor2D;
  return f(table);
}

/** Row means [N, 1]: a last-axis reduction, fast on every backend. */
const rowMean = (x: tf.Tensor2D) => tf.mean(x, -1, true) as tf.Tensor2D;

/**
 * LayerNorm over the last axis (eps as in PyTorch), with its gradient written
 * out, with the gain and bias gradients as matMul column sums:
 *   dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)),  dxhat = dy * g
 */
export const layerNormOps = tf.customGrad((...args: Args) => {
  const [x, g, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
  const xc = tf.sub(x, rowMean(x));
  const rstd = tf.rsqrt(tf.add(rowMean(tf.square(xc) as tf.Tensor2D), 1e-5)); // [N, 1]
  const xhat = tf.mul(xc, rstd) as tf.Tensor2D;
  save([xhat, rstd, g]);
  return {
    value: tf.add(tf.mul(xhat, g), b),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xh, rs, gs] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
      const d = dy as tf.Tensor2D;
      const dxhat = tf.mul(d, gs) as tf.Tensor2D;
      const inner = tf.sub(tf.sub(dxhat, rowMean(dxhat)), tf.mul(xh, rowMean(tf.mul(dxhat, xh) as tf.Tensor2D)));
      return [tf.mul(inner, rs), colSum(tf.mul(d, xh) as tf.Tensor2D), colSum(d)];
    },
  };
}) as (x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor) => tf.Tensor2D;

/** LayerNorm: one fused kernel each way while training (kernels/layerNorm.ts), the ops above otherwise. */
export const layerNorm = (x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D => layerNormFused(x, g, b) ?? layerNormOps(x, g, b);

/**
 * Exact (erf) GELU, as PyTorch's nn.GELU() default: x * Phi(x). Its gradient
 * Phi(x) + x * phi(x) is written out (autodiff through erf costs twice the ops).
 */
export const geluOps = tf.customGrad((...args: Args) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const cdf = tf.mul(tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))), 0.5); // Phi(x)
  save([x, cdf]);
  return {
    value: tf.mul(x, cdf),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xs, c] = saved;
      const pdf = tf.mul(tf.exp(tf.mul(tf.square(xs), -0.5)), 1 / Math.sqrt(2 * Math.PI)); // phi(x)
      return [tf.mul(dy as tf.Tensor, tf.add(c, tf.mul(xs, pdf)))];
    },
  };
}) as (x: tf.Tensor) => tf.Tensor;

/** GELU: one fused kernel each way while training (kernels/gelu.ts), the ops above otherwise. */
export const gelu = (x: tf.Tensor): tf.Tensor => geluFused(x) ?? geluOps(x);

/** log p(target) for each row: logits [N, V], targets [N] int32 -> [N]. */
export function tokenLogProbs(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  return tokenLogProbsFused(logits, targets) ?? tokenLogProbsOps(logits, targets);
}

/** The same as ops (inference, and the reference kernels/softmax.ts is tested against). */
export function tokenLogProbsOps(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  const logp = tf.logSoftmax(logits); // [N, V]
  const oneHot = tf.cast(tf.oneHot(targets, logits.shape[1]), 'float32');
  return tf.sum(tf.mul(logp, oneHot), -1) as tf.Tensor1D;
}

/**
 * Mean cross-entropy over the positions whose weight is non-zero.
 * weights [N] (1 = train on this token, 0 = ignore); all ones when omitted.
 */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, weights?: tf.Tensor1D): tf.Scalar {
  const lp = tokenLogProbs(logits, targets);
  if (!weights) return tf.neg(tf.mean(lp));
  return tf.div(tf.neg(tf.sum(tf.mul(lp, weights))), tf.maximum(tf.sum(weights), 1));
}
