/**
 * The GPT: GPT-2 shaped, small enough to train in a browser tab.
 *
 * token + learned position embeddings -> nLayer x [pre-LN causal multi-head
 * self-attention, pre-LN 4x GELU MLP] -> final LayerNorm -> LM head tied to
 * the token embedding. Weights live in one flat map of tf.Variables under
 * GPT-2 names, so they can be exported for other tools.
 *
 * Shapes are kept 2-D ([B*T, C]) around every weight matMul: TF.js's batched
 * matMul does not reduce broadcast batch dims in backprop, and on wasm only the
 * 2-D product is fast. Attention itself is a batched matMul over [B*nh, T, hs].
 */
import * as tf from '@tensorflow/tfjs-core';
import { type GPTConfig, validateConfig, weightShapes } from './config.ts';
import { batchMatMul } from './kernels/bmm.ts';
import { mergeHeads, splitHeads } from './kernels/heads.ts';
import { causalSoftmax } from './kernels/softmax.ts';
import { embedFused } from './kernels/embed.ts';
import { residualAdd } from './kernels/residual.ts';
import { dense, embed, gelu, layerNorm, linear } from './ops.ts';

export interface ForwardOptions {
  /** Also return each layer's attention probabilities [B, nh, T, T]. */
  attention?: boolean;
  /** Keys and values of earlier tokens (generation): idx holds only the new tokens, which see all cached ones. */
  cache?: KVCache;
}

/**
 * Keys and values of the tokens seen so far, per layer, in chunks of
 * cacheChunk() tokens (the last one filling): keys transposed
 * [B*nh, hs, n], values [B*nh, n, hs]; kept out of tidy scopes. A new token
 * extends only the last chunk, so a step copies at most CACHE_CHUNK tokens'
 * keys rather than the whole history, and the full chunks' products run the
 * SIMD kernel (a width of 64); for 16 rows side by side both had cost more
 * than the rest of the step.
 */
export interface KVCache {
  kT: tf.Tensor3D[][];
  v: tf.Tensor3D[][];
  length: number;
  /**
   * Rows of different lengths, left-padded (generateBatch): row r's tokens
   * start at column start[r]; the columns before are padding, which no query
   * attends to, and a token's position is its column minus start[r].
   */
  start?: number[];
}

export const CACHE_CHUNK = 64;

/**
 * Tokens per cache chunk on the active backend: CACHE_CHUNK on the CPU
 * backends (wasm, cpu); on a GPU, one chunk (every product and slice is a
 * kernel launch there, and the copies are cheap).
 */
export const cacheChunk = (): number => (tf.getBackend() === 'wasm' || tf.getBackend() === 'cpu' ? CACHE_CHUNK : Infinity);

export interface ForwardResult {
  logits: tf.Tensor2D; // [B*T, V]
  attention?: tf.Tensor4D[];
}

let modelCount = 0;
/** TF.js registers variables by name globally, so each model gets its own prefix. */
const varName = (model: number, name: string) => `gpt${model}/${name}`;

export class GPT {
  readonly config: GPTConfig;
  readonly weights: Map<string, tf.Variable>;
  private masks = new Map<string, tf.Tensor2D>(); // causal masks by "T,past"

  constructor(config: GPTConfig, weights: Map<string, tf.Variable>) {
    this.config = validateConfig(config);
    for (const [name, shape] of weightShapes(this.config)) {
      const w = weights.get(name);
      if (!w) throw new Error(`model: missing weight ${name}`);
      if (w.shape.join() !== shape.join()) throw new Error(`model: ${name} has shape [${w.shape}], expected [${shape}]`);
    }
    this.weights = weights;
  }

  /** Fresh weights as GPT-2 initialises them: N(0, 0.02), residual projections scaled by 1/sqrt(2L). */
  static create(config: GPTConfig, seed = 0): GPT {
    const cfg = validateConfig(config);
    const weights = new Map<string, tf.Variable>();
    const id = modelCount++;
    let s = seed * 1000;
    tf.tidy(() => {
      for (const [name, shape] of weightShapes(cfg)) {
        let init: tf.Tensor;
        if (name.endsWith('.bias')) init = tf.zeros(shape);
        else if (/ln_\d\.weight$|ln_f\.weight$/.test(name)) init = tf.ones(shape);
        else {
          const std = name.endsWith('c_proj.weight') ? 0.02 / Math.sqrt(2 * cfg.nLayer) : 0.02;
          init = tf.randomNormal(shape, 0, std, 'float32', s++);
        }
        weights.set(name, tf.variable(init, true, varName(id, name)));
      }
    });
    return new GPT(cfg, weights);
  }

  /** Build a model from plain arrays (a loaded checkpoint); all-or-nothing. */
  static fromArrays(config: GPTConfig, arrays: Map<string, Float32Array>, trainable = true): GPT {
    const cfg = validateConfig(config);
    const weights = new Map<string, tf.Variable>();
    const id = modelCount++;
    for (const [name, shape] of weightShapes(cfg)) {
      const data = arrays.get(name);
      if (!data) throw new Error(`model: missing weight ${name}`);
      weights.set(name, tf.tidy(() => tf.variable(tf.tensor(data, shape, 'float32'), trainable, varName(id, name))));
    }
    return new GPT(cfg, weights);
  }

  /** A frozen copy (e.g. the reference model for DPO); never updated by an optimiser. */
  frozenCopy(): GPT {
    return this.copy(false);
  }

  /** An independent copy of the weights (e.g. a reward model's trunk), trainable or frozen. */
  copy(trainable = true): GPT {
    const weights = new Map<string, tf.Variable>();
    const id = modelCount++;
    for (const [name, w] of this.weights) weights.set(name, tf.variable(w, trainable, varName(id, name)));
    return new GPT(this.config, weights);
  }

  get trainableVariables(): tf.Variable[] {
    return [...this.weights.values()].filter((v) => v.trainable);
  }

  private w(name: string): tf.Variable {
    return this.weights.get(name)!;
  }

  /**
   * Additive causal mask [T, past + T] for T new tokens after `past` cached
   * ones: 0 where key j <= past + i, -1e9 elsewhere. Cached per shape.
   */
  private causalMask(T: number, past = 0): tf.Tensor2D {
    const key = `${T},${past}`;
    let m = this.masks.get(key);
    if (!m) {
      m = tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, past + T]), -1, past)), -1e9)) as tf.Tensor2D;
      tf.keep(m);
      this.masks.set(key, m);
    }
    return m;
  }

  newCache(): KVCache {
    return { kT: Array.from({ length: this.config.nLayer }, () => []), v: Array.from({ length: this.config.nLayer }, () => []), length: 0 };
  }

  static disposeCache(cache: KVCache): void {
    for (const list of [...cache.kT, ...cache.v]) tf.dispose(list.splice(0));
    cache.length = 0;
    cache.start = undefined;
  }

  /** Keep only some rows of a batch's cache (`rows`: their indices, in the order they stay), the others dropped. */
  keepCacheRows(cache: KVCache, rows: number[]): void {
    const nh = this.config.nHead;
    const idx = tf.tensor1d(rows.flatMap((r) => Array.from({ length: nh }, (_, h) => r * nh + h)), 'int32');
    for (const list of [...cache.kT, ...cache.v]) {
      list.forEach((t, j) => {
        list[j] = tf.keep(tf.gather(t, idx)); // the cache outlives any tidy scope around the call
        t.dispose();
      });
    }
    idx.dispose();
    if (cache.start) cache.start = rows.map((r) => cache.start![r]);
  }

  /**
   * Add new keys (axis 2) or values (axis 1) to a layer's chunks: the last one
   * filled up to cacheChunk() tokens, then new chunks of that many. Full
   * chunks are 64 keys wide, a width the SIMD batched product takes
   * (kernels/bmm.ts); only the last chunk's product runs TF.js's own.
   */
  private static extend(chunks: tf.Tensor3D[], t: tf.Tensor3D, axis: 1 | 2): tf.Tensor3D[] {
    const chunk = cacheChunk();
    const piece = (from: number, n: number) => (from === 0 && n === t.shape[axis] ? t : (tf.slice(t, axis === 1 ? [0, from, 0] : [0, 0, from], axis === 1 ? [-1, n, -1] : [-1, -1, n]) as tf.Tensor3D));
    for (let at = 0; at < t.shape[axis]; ) {
      const last = chunks[chunks.length - 1];
      const room = last ? chunk - last.shape[axis] : 0;
      const n = Math.min(room > 0 ? room : chunk, t.shape[axis] - at);
      if (room > 0) {
        chunks[chunks.length - 1] = tf.keep(tf.concat([last, piece(at, n)], axis) as tf.Tensor3D);
        last.dispose();
      } else chunks.push(tf.keep(piece(at, n)));
      at += n;
    }
    return chunks;
  }

  /** Attention of the new tokens' queries to every key, chunk by chunk: the weights [B*nh, T, S] and the weighted values [B*nh, T, hs]. */
  private attend(q: tf.Tensor3D, kTs: tf.Tensor3D[], vs: tf.Tensor3D[], softmax: (qk: tf.Tensor3D) => tf.Tensor3D): [tf.Tensor3D, tf.Tensor3D] {
    const att = softmax(kTs.length === 1 ? batchMatMul(q, kTs[0]) : (tf.concat(kTs.map((c) => batchMatMul(q, c)), 2) as tf.Tensor3D));
    if (vs.length === 1) return [att, batchMatMul(att, vs[0])];
    let start = 0; // each chunk's first key
    const parts = vs.map((c) => batchMatMul(tf.slice(att, [0, 0, (start += c.shape[1]) - c.shape[1]], [-1, -1, c.shape[1]]), c));
    return [att, tf.addN(parts) as tf.Tensor3D];
  }

  /** softmax(qk / sqrt(hs) + causal mask) as ops (inference; training runs kernels/softmax.ts). */
  private maskedSoftmax(qk: tf.Tensor3D, hs: number, T: number, past: number): tf.Tensor3D {
    const raw = tf.mul(qk, 1 / Math.sqrt(hs));
    return tf.softmax(T === 1 ? raw : tf.add(raw, this.causalMask(T, past))) as tf.Tensor3D; // one new token sees every key
  }

  /** The masked softmax of left-padded rows: the padding columns of each row's heads (`keyBias` [B*nh, 1, S]) and, for T > 1, the causal mask. */
  private paddedSoftmax(qk: tf.Tensor3D, hs: number, T: number, past: number, keyBias: tf.Tensor3D): tf.Tensor3D {
    const raw = tf.add(tf.mul(qk, 1 / Math.sqrt(hs)), keyBias);
    return tf.softmax(T === 1 ? raw : tf.add(raw, this.causalMask(T, past))) as tf.Tensor3D;
  }

  private attention(x: tf.Tensor2D, i: number, B: number, T: number, maps?: tf.Tensor4D[], cache?: KVCache, keyBias?: tf.Tensor3D): tf.Tensor2D {
    const { nHead: nh, nEmbd: C } = this.config;
    const hs = C / nh;
    const p = `h.${i}.attn.`;
    const qkv = dense(x, this.w(p + 'c_attn.weight'), this.w(p + 'c_attn.bias')); // [B*T, 3C]
    const heads = cache ? null : splitHeads(qkv, B, T, nh); // one kernel where it runs; the KV cache needs k untransposed
    // 4-D transposes only: wasm's 5-D transpose is ~100x slower than its 4-D one.
    const [q, k, v] = heads ?? tf.split(qkv, 3, 1).map(
      (t) => tf.reshape(tf.transpose(tf.reshape(t, [B, T, nh, hs]), [0, 2, 1, 3]), [B * nh, T, hs]) as tf.Tensor3D,
    ); // each [B*nh, T, hs], but k is k^T [B*nh, hs, T] from splitHeads
    const past = cache?.length ?? 0;
    const softmax = (qk: tf.Tensor3D) =>
      (keyBias ? this.paddedSoftmax(qk, hs, T, past, keyBias) : (causalSoftmax(qk, 1 / Math.sqrt(hs), past) ?? this.maskedSoftmax(qk, hs, T, past))) as tf.Tensor3D; // [B*nh, T, past+T]
    const [att, y] = cache
      ? this.attend(q, GPT.extend(cache.kT[i], tf.transpose(k, [0, 2, 1]) as tf.Tensor3D, 2), GPT.extend(cache.v[i], v, 1), softmax)
      : this.attend(q, [heads ? k : (tf.transpose(k, [0, 2, 1]) as tf.Tensor3D)], [v], softmax); // y: [B*nh, T, hs]
    if (maps) maps.push(tf.reshape(att, [B, nh, T, past + T]));
    const merged = mergeHeads(y, B, T, nh) ?? (tf.reshape(tf.transpose(tf.reshape(y, [B, nh, T, hs]), [0, 2, 1, 3]), [B * T, C]) as tf.Tensor2D); // [B*T, C]
    return dense(merged, this.w(p + 'c_proj.weight'), this.w(p + 'c_proj.bias'));
  }

  private mlp(x: tf.Tensor2D, i: number): tf.Tensor2D {
    const p = `h.${i}.mlp.`;
    const h = gelu(dense(x, this.w(p + 'c_fc.weight'), this.w(p + 'c_fc.bias'))) as tf.Tensor2D; // [B*T, 4C]
    return dense(h, this.w(p + 'c_proj.weight'), this.w(p + 'c_proj.bias')); // [B*T, C]
  }

  /** Token plus position embeddings as ops (inference; training runs kernels/embed.ts): [B*T, C]. */
  private embedOps(ids: tf.Tensor1D, wte: tf.Tensor2D, wpe: tf.Tensor2D, B: number, T: number, past: number): tf.Tensor2D {
    const C = this.config.nEmbd;
    const tok = embed(ids, wte); // [B*T, C]
    const pos = tf.slice(wpe, [past, 0], [T, C]); // [T, C]
    return tf.reshape(tf.add(tf.reshape(tok, [B, T, C]), pos), [B * T, C]) as tf.Tensor2D;
  }

  /** Embeddings of left-padded rows: row r's column c sits at position c - start[r] (padding at 0, never attended to). */
  private embedPadded(ids: tf.Tensor1D, wte: tf.Tensor2D, wpe: tf.Tensor2D, T: number, past: number, start: number[]): tf.Tensor2D {
    const pos = start.flatMap((s0) => Array.from({ length: T }, (_, t) => Math.max(0, past + t - s0)));
    return tf.add(embed(ids, wte), tf.gather(wpe, tf.tensor1d(pos, 'int32'))) as tf.Tensor2D;
  }

  /** -1e9 at each row's padding columns, 0 elsewhere, for each of its heads: [B*nh, 1, S]. */
  private paddingBias(start: number[], S: number): tf.Tensor3D {
    const nh = this.config.nHead;
    const bias = new Float32Array(start.length * nh * S);
    start.forEach((s0, r) => {
      for (let h = 0; h < nh; h++) bias.fill(-1e9, (r * nh + h) * S, (r * nh + h) * S + Math.min(s0, S));
    });
    return tf.tensor3d(bias, [start.length * nh, 1, S]);
  }

  /** Hidden states after the final LayerNorm: idx [B, T] int32 -> [B*T, C]. */
  hidden(idx: tf.Tensor2D, maps?: tf.Tensor4D[], cache?: KVCache): tf.Tensor2D {
    const [B, T] = idx.shape;
    const { blockSize } = this.config;
    const past = cache?.length ?? 0;
    if (past + T > blockSize) throw new Error(`model: sequence of ${past + T} tokens exceeds the block size ${blockSize}`);
    const ids = tf.reshape(idx, [B * T]) as tf.Tensor1D;
    const [wte, wpe] = [this.w('wte') as tf.Tensor2D, this.w('wpe') as tf.Tensor2D];
    const start = cache?.start;
    if (start && start.length !== B) throw new Error(`model: the cache holds ${start.length} rows, the batch ${B}`);
    let x = start ? this.embedPadded(ids, wte, wpe, T, past, start) : (embedFused(ids, wte, wpe, T, past) ?? this.embedOps(ids, wte, wpe, B, T, past)); // [B*T, C]
    const keyBias = start && this.paddingBias(start, past + T);
    for (let i = 0; i < this.config.nLayer; i++) {
      const p = `h.${i}.`;
      x = residualAdd(x, this.attention(layerNorm(x, this.w(p + 'ln_1.weight'), this.w(p + 'ln_1.bias')), i, B, T, maps, cache, keyBias));
      x = residualAdd(x, this.mlp(layerNorm(x, this.w(p + 'ln_2.weight'), this.w(p + 'ln_2.bias')), i));
    }
    if (cache) cache.length += T;
    return layerNorm(x, this.w('ln_f.weight'), this.w('ln_f.bias'));
  }

  /** Next-token logits for every position: idx [B, T] int32 -> logits [B*T, V]. */
  forward(idx: tf.Tensor2D, opts: ForwardOptions = {}): ForwardResult {
    const maps: tf.Tensor4D[] | undefined = opts.attention ? [] : undefined;
    const h = this.hidden(idx, maps, opts.cache);
    const logits = linear(h, tf.transpose(this.w('wte') as tf.Tensor2D)); // [B*T, V], head tied to wte
    return { logits, attention: maps };
  }

  /**
   * What the last position of `ids` attends to, in every layer and head:
   * [layer][head][position] (each row sums to 1). For the attention view.
   */
  async attentionAt(ids: number[]): Promise<number[][][]> {
    const T = ids.length;
    const rows = tf.tidy(() => {
      const { attention } = this.forward(tf.tensor2d([ids], [1, T], 'int32'), { attention: true });
      return attention!.map((a) => tf.squeeze(tf.slice(a, [0, 0, T - 1, 0], [1, -1, 1, T]), [0, 2])); // [nh, T]
    });
    const out = await Promise.all(rows.map((r) => r.array() as Promise<number[][]>));
    tf.dispose(rows);
    return out;
  }

  /** Release every weight and cached mask. */
  dispose(): void {
    for (const w of this.weights.values()) w.dispose();
    for (const m of this.masks.values()) m.dispose();
    this.masks.clear();
  }
}
