/**
 * The worker's `sft` call: an adapter over the SFT stage (src/stages/sft.ts).
 * It checks the request against the stage's settings table, runs the stage in
 * chunks of `probeEvery` steps, and after each chunk autosaves the model and
 * answers the probe prompts (so a reload can resume from the round the page
 * last heard of). Kept apart from trainer.worker.ts, which owns the model.
 */
import { probeRound, probeSet } from '../src/eval/probes.ts';
import { unfitNote, unknownNote } from '../src/engine/sft.ts';
import { runSft, sftData } from '../src/stages/sft.ts';
import { SFT_DEFAULTS, SFT_PARAMS } from '../src/stages/settings.ts';
import { type TrainerApi, decodePairs } from './api.ts';
import type { PreferenceContext } from './preferences.ts';
import { batchProgress } from './progress.ts';
import { checkPairs, checkParam, checkRange } from './validate.ts';

export interface SftContext extends PreferenceContext {
  /** Keep the model as it is after `steps` steps of this run (a failed save costs the resume, not the run). */
  autosave(steps: number): Promise<void>;
}

const P = SFT_PARAMS;

/** The request's settings, checked; the warm-up is the stage's (the page does not set it). */
function sftSettings(req: Parameters<TrainerApi['sft']>[0]) {
  const s = {
    iters: checkParam(P.iters, req.iters), batchSize: checkParam(P.batchSize, req.batchSize), lr: checkParam(P.lr, req.lr),
    seed: checkParam(P.seed, req.seed), probeEvery: checkParam(P.probeEvery, req.probeEvery), warmup: SFT_DEFAULTS.warmup,
  };
  const startStep = req.startStep === undefined ? 0 : checkRange('Resume step', req.startStep, 0, s.iters - 1, true);
  return { ...s, startStep };
}

export function sftCall(ctx: SftContext): TrainerApi['sft'] {
  return async (req, onProgress, onProbe) => {
    const m = ctx.requireModel();
    const s = sftSettings(req);
    const pairs = checkPairs(decodePairs(req.pairs)).filter((p) => p.prompt.trim() && p.response.trim());
    if (!pairs.length) throw new Error('There are no pairs to train on: add at least one prompt with its response.');
    const data = sftData(m.model, m.tokenizer, pairs, s);
    const probes = probeSet();
    const probe = async (at: number) => onProbe({ step: at, outputs: await probeRound(m.model, m.tokenizer, probes) });
    const control = ctx.begin();
    const progress = batchProgress(onProgress);
    let done = s.startStep;
    let optimizer;
    try {
      if (!s.startStep) await probe(0);
      const r = await runSft(m.model, data, { ...s, every: s.probeEvery }, {
        control,
        onProgress: (p) => progress.push(p),
        between: async (chunk) => {
          done = chunk.step;
          await progress.flush();
          // Saved before each probe round, so a reload can resume the run from the round the page last heard of.
          await ctx.autosave(done - s.startStep);
          await probe(done);
        },
      });
      optimizer = r.optimizer;
      done = r.step;
      await progress.flush();
      const note = [unfitNote(data, m.model.config.blockSize), unknownNote(m.tokenizer, pairs.flatMap((p) => [p.prompt, p.response]))].filter(Boolean).join(' ');
      return { reason: r.reason, step: done, lastLoss: r.lastLoss, message: r.message, note };
    } finally {
      optimizer?.dispose();
      ctx.finish('sft', done - s.startStep);
    }
  };
}
