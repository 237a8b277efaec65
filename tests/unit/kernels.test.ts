/**
 * Heed's fused kernels against the TF.js op compositions they replace, on
 * every backend they run on (WebGPU too when DAWN_NODE is set).
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { globalNormKernel, globalNormOps } from '../../src/engine/kernels/globalNorm.ts';
import { KERNEL_BACKENDS, useBackend, values } from './helpers.ts';

for (const backend of KERNEL_BACKENDS) {
  test(`${backend}: the global norm is one kernel and equals the op composition (13 gradients: three WebGPU chunks)`, async () => {
    await useBackend(backend);
    const shapes = [[70, 128], [64, 128], [128], [128], [128, 384], [384], [128, 128], [128], [128], [128], [128, 512], [512], [3]];
    const grads = shapes.map((s, i) => tf.randomNormal(s, 0, 0.1 * (i + 1), 'float32', i));
    const profile = await tf.profile(() => globalNormKernel(grads));
    expect(profile.kernels.map((k) => k.name)).toEqual(['HeedGlobalNorm']);
    const fused = globalNormKernel(grads);
    const ops = globalNormOps(grads);
    expect(fused.shape).toEqual([]);
    const [a, b] = [(await values(fused))[0], (await values(ops))[0]];
    expect(a).toBeGreaterThan(1);
    expect(Math.abs(a - b) / b).toBeLessThan(1e-5);
    const single = globalNormKernel([tf.tensor1d([3, 0]), tf.tensor2d([[0, 4]])]);
    expect((await values(single))[0]).toBeCloseTo(5, 5);
    tf.dispose([...grads, fused, ops, single, profile.result as tf.Tensor]);
  });
}
