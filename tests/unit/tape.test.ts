/**
 * The tape's saved tensors as views (kernels/tape.ts): a training step's
 * gradients are bit for bit those of the copying tape, with no Identity
 * kernel, and every view is released after the backward pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { tapeViews } from '../../src/engine/kernels/tape.ts';
import { GPT } from '../../src/engine/model.ts';
import { lmLoss } from '../../src/engine/pretrain.ts';
import { KERNEL_BACKENDS, MICRO, useBackend } from './helpers.ts';

/** Loss and every gradient of one step of the micro GPT, the kernels it ran, and the memory it left behind. */
async function step(model: GPT, x: tf.Tensor2D, y: tf.Tensor2D) {
  const before = tf.memory();
  let arrays: Float32Array[] = [];
  const profile = await tf.profile(async () => {
    const { value, grads } = tf.variableGrads(() => lmLoss(model, x, y), model.trainableVariables);
    const out = [value, ...model.trainableVariables.map((v) => grads[v.name])];
    arrays = (await Promise.all(out.map((t) => t.data()))) as Float32Array[];
    tf.dispose(out);
  });
  const after = tf.memory();
  return {
    arrays,
    identities: profile.kernels.filter((k) => k.name === 'Identity').length,
    leaked: [after.numTensors - before.numTensors, after.numDataBuffers - before.numDataBuffers, after.numBytes - before.numBytes],
  };
}

for (const backend of KERNEL_BACKENDS) {
  test(`${backend}: saved tensors as views give the copying tape's gradients bit for bit, without Identity kernels or leaks`, async () => {
    await useBackend(backend);
    const model = GPT.create(MICRO, 3);
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6, 7, 8], [8, 7, 6, 5, 4, 3, 2, 1]], [2, 8], 'int32');
    const y = tf.tensor2d([[2, 3, 4, 5, 6, 7, 8, 9], [7, 6, 5, 4, 3, 2, 1, 0]], [2, 8], 'int32');
    await step(model, x, y); // the first fused kernel turns views on (access.ts): turn them off after it
    tapeViews(false);
    const copies = await step(model, x, y);
    tapeViews(true);
    const views = await step(model, x, y);
    expect(copies.identities).toBeGreaterThan(10); // what the views replace
    expect(views.identities).toBe(0);
    expect(views.arrays.length).toBe(copies.arrays.length);
    views.arrays.forEach((a, i) => expect(Array.from(a), `output ${i}`).toEqual(Array.from(copies.arrays[i])));
    expect(copies.leaked).toEqual([0, 0, 0]);
    expect(views.leaked).toEqual([0, 0, 0]);
    tf.dispose([x, y]);
    model.dispose();
  });
}
