/**
 * Checkpoint averaging: the element-wise mean of the weights of several
 * checkpoints of one run (same configuration), the trick behind Polyak
 * averaging and SWA (Izmailov et al. 2018). SFT at a high learning rate swings
 * from checkpoint to checkpoint (held-out haiku 4 → 18 → 0 of 40 at steps
 * 1000, 1500 and 2000 of one run); mid-run, the mean of two checkpoints (8 and
 * 6 of 40) scored 15. At the end of a cosine schedule the last checkpoint did
 * better than the mean of the last four (README), so the shipped `sft` is not
 * averaged.
 */
import * as tf from '@tensorflow/tfjs-core';
import { GPT } from './model.ts';

/** A new model whose every weight is the mean of the models' (the inputs are left as they are). */
export async function averageModels(models: GPT[]): Promise<GPT> {
  if (models.length < 1) throw new Error('averaging needs at least one model');
  const config = models[0].config;
  const bad = models.findIndex((m) => JSON.stringify(m.config) !== JSON.stringify(config));
  if (bad >= 0) throw new Error(`model ${bad + 1} has another configuration (${JSON.stringify(models[bad].config)}) than model 1 (${JSON.stringify(config)}): only checkpoints of one run can be averaged`);
  const arrays = new Map<string, Float32Array>();
  for (const name of models[0].weights.keys()) {
    const mean = tf.tidy(() => tf.div(tf.addN(models.map((m) => m.weights.get(name)!)), models.length));
    arrays.set(name, (await mean.data()) as Float32Array);
    mean.dispose();
  }
  return GPT.fromArrays(config, arrays);
}

/**
 * Weight-space interpolation back toward a start (WiSE-FT, Wortsman et al.
 * 2022), in place: each weight becomes start + keep x (tuned - start). keep 1
 * leaves the tuned model as it is; 0.5 is the mean of the two. After a short
 * preference run on a learner's ~30 picks it keeps most of the taste and
 * gives back most of what the run cost the instruction checks (measured with
 * bench:steer, docs/experiments.md).
 */
export function interpolateWeights(model: GPT, start: GPT, keep: number): void {
  if (!(keep >= 0 && keep <= 1)) throw new Error(`the share of the step kept must be from 0 to 1, got ${keep}`);
  if (JSON.stringify(model.config) !== JSON.stringify(start.config)) throw new Error('interpolating needs two models of one configuration');
  if (keep === 1) return;
  for (const [name, w] of model.weights) {
    const s = start.weights.get(name)!;
    tf.tidy(() => w.assign(tf.add(s, tf.mul(tf.sub(w, s), keep))));
  }
}
