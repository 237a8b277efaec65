/**
 * The few tensor ops the GPT needs, written so that every backend trains and
 * the wasm backend stays on its fast paths.
 *
 * Measured on the wasm backend (2-core machine): a plain 2-D matMul runs at
 * ~40 GFLOP/s, the same product with a transpose flag at ~3 GFLOP/s; the
 * gather kernel has no gradient there at all. So:
 * - `linear` is a 2-D matMul whose gradient transposes explicitly, then runs
 *   plain matMuls (TF.js's own MatMul gradient uses the transpose flags).
 * - `embed` is one-hot x table, and its gradient is another plain matMul.
 * Everything else is ordinary TF.js autodiff.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

/** x [N, K] times w [K, M] -> [N, M], with a gradient made of plain 2-D matMuls. */
type Args = (tf.Tensor | tf.GradSaveFunc)[];

export const linear = tf.customGrad((...args: Args) => {
  const [x, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xs, ws] = saved as tf.Tensor2D[];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(ws)), tf.matMul(tf.transpose(xs), g)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/**
 * x [N, K] times w [K, M] plus bias [M]. The bias gradient is ones[1, N] x dy,
 * a fast matMul, instead of a column sum (slow on wasm).
 */
export const dense = tf.customGrad((...args: Args) => {
  const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x, w), b) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xs, ws] = saved as tf.Tensor2D[];
      const g = dy as tf.Tensor2D;
      const ones = tf.ones([1, g.shape[0]]) as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(ws)), tf.matMul(tf.transpose(xs), g), tf.reshape(tf.matMul(ones, g), [-1])];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor) => tf.Tensor2D;

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

/** LayerNorm over the last axis, eps as in PyTorch. */
export function layerNorm(x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor, eps = 1e-5): tf.Tensor2D {
  const mean = tf.mean(x, -1, true);
  const xc = tf.sub(x, mean);
  const variance = tf.mean(tf.square(xc), -1, true);
  return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, eps))), g), b);
}

/** Exact (erf) GELU, as PyTorch's nn.GELU() default. */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}

/** log p(target) for each row: logits [N, V], targets [N] int32 -> [N]. */
export function tokenLogProbs(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
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
