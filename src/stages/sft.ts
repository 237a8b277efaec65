/**
 * The SFT stage as one run, shared by `heed sft`, the worker's `sft` call and
 * the benchmarks: its data (pairs rendered through the chat template),
 * its schedule (tenth-cosine with a capped warm-up) and its loop.
 *
 * The run goes in chunks of `every` steps with `between` after each (the
 * worker saves and probes there, the CLI writes a checkpoint): the schedule is
 * by the run's absolute step and the optimiser is carried across chunks, so
 * the weights are those of one unbroken run, whatever `every` is. A run can
 * resume from `startStep` (a reload mid-run). Progress reports the whole
 * run's step count and its training time, `between` excluded.
 */
import { renderChat } from '../data/chat.ts';
import type { Pair } from '../datasets/pairs.ts';
import type { GPT } from '../engine/model.ts';
import { tenthCosine } from '../engine/optim.ts';
import { type SftStage, sftStage } from '../engine/sft.ts';
import type { CharTokenizer } from '../engine/tokenizer.ts';
import { type Progress, type TrainControl, type TrainResult, train } from '../engine/train.ts';

/** The training data: each pair rendered as a user turn and an assistant turn, batched as SFT batches. */
export function sftData(model: GPT, tokenizer: CharTokenizer, pairs: Pair[], o: { batchSize: number; seed: number; mix?: { tokens: Int32Array; share: number } }): SftStage {
  const seqs = pairs.map((p) => renderChat(tokenizer, [{ role: 'user', content: p.prompt }, { role: 'assistant', content: p.response }]));
  return sftStage(seqs, { batchSize: o.batchSize, seed: o.seed, pad: tokenizer.special('<|pad|>'), blockSize: model.config.blockSize, mix: o.mix });
}

export interface SftRunOptions {
  iters: number;
  lr: number;
  warmup: number;
  /** Steps per chunk (a probe round or a checkpoint after each); the whole run when absent. */
  every?: number;
  /** Steps already done (resuming): the schedule carries on from there. */
  startStep?: number;
}

export interface SftHooks {
  control?: TrainControl;
  logEvery?: number;
  onProgress?: (p: Progress) => void;
  /** After each chunk that did not fail (the last and a stopped one too): save, probe; true stops the run. */
  between?: (r: TrainResult) => Promise<boolean | void>;
}

/** Train `model` on `data` as one SFT run; the result's optimiser is the caller's to dispose. */
export async function runSft(model: GPT, data: SftStage, o: SftRunOptions, hooks: SftHooks = {}): Promise<TrainResult> {
  const every = o.every || o.iters;
  const schedule = tenthCosine(o.lr, o.iters, o.warmup);
  let trainedMs = 0;
  let r: TrainResult | undefined;
  let done = o.startStep ?? 0;
  try {
    do {
      let chunkMs = 0;
      r = await train(model, data, {
        iters: Math.min(o.iters, done + every), startStep: done, clip: 1, schedule, control: hooks.control, optimizer: r?.optimizer, logEvery: hooks.logEvery,
        onProgress: (p) => {
          chunkMs = p.elapsedMs;
          hooks.onProgress?.({ ...p, iters: o.iters, elapsedMs: trainedMs + chunkMs });
        },
      });
      trainedMs += chunkMs;
      done = r.step;
      if (r.reason === 'nonfinite' || (hooks.between && (await hooks.between(r)))) break;
    } while (r.reason === 'done' && done < o.iters);
  } catch (e) {
    r?.optimizer.dispose(); // a failed save or probe ends the run; its optimiser state goes with it
    throw e;
  }
  return r;
}
