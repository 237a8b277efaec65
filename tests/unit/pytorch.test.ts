/**
 * The PyTorch export against an independent implementation: the shipped SFT
 * model is exported (folder and zip, as the CLI and the page make them) and
 * tests/python/gpt2_reference.py, a GPT-2 written in PyTorch from the
 * published architecture, reads it as another tool would. Its logits must
 * match Heed's within 1e-4, its tokens Heed's, and its greedy answer to the
 * headline prompt through the chat template Heed's answer.
 *
 * Needs python3 with torch and jinja2 (Debian: python3-torch python3-jinja2,
 * which .ci/run installs); skipped, saying so, only where they are missing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CHAT_TEMPLATE_JINJA, type Turn, renderChat, renderPrompt } from '../../src/data/chat.ts';
import { loadCheckpoint, readCheckpoint } from '../../src/engine/checkpoint.ts';
import { generate } from '../../src/engine/generate.ts';
import { exportHuggingFace } from '../../src/engine/huggingface.ts';
import { modelCard } from '../../src/engine/modelCard.ts';
import { writeZip } from '../../src/engine/zip.ts';
import { useBackend } from './helpers.ts';

/** The first interpreter that has torch and jinja2: $PYTHON, python3 on the PATH, then Debian's. */
const python = [process.env.PYTHON, 'python3', '/usr/bin/python3'].find(
  (p) => p && spawnSync(p, ['-c', 'import torch, jinja2'], { encoding: 'utf8' }).status === 0,
);
if (!python) console.warn('pytorch.test.ts SKIPPED: no python3 with torch and jinja2 (apt-get install -y python3-torch python3-jinja2)');

const HEADLINE = 'Write a haiku about autumn.';

test.skipIf(!python)('an independent PyTorch GPT-2 reads the export of the shipped sft model and computes what Heed computes', async () => {
  await useBackend('wasm');
  const bytes = new Uint8Array(readFileSync(join(process.cwd(), 'models', 'sft.heed')));
  const ckpt = readCheckpoint(bytes);
  const dir = mkdtempSync(join(tmpdir(), 'heed-pytorch-'));
  const files = exportHuggingFace(ckpt, { chatTemplate: CHAT_TEMPLATE_JINJA, card: modelCard({ header: ckpt.header, name: 'sft' }) });
  for (const [name, data] of files) writeFileSync(join(dir, name), data);
  writeFileSync(join(dir, 'export.zip'), writeZip(files));

  const { model, tokenizer } = await loadCheckpoint(bytes);
  const end = tokenizer.special('<|end|>');
  const prompts = [renderPrompt(tokenizer, HEADLINE), tokenizer.encode('The wind moved the leaves; the moon rose over the lake.'), [tokenizer.special('<|doc|>'), ...tokenizer.encode('Moss - give me a haiku.\n')]];
  const logits = await Promise.all(prompts.map(async (ids) => {
    const l = tf.tidy(() => model.forward(tf.tensor2d([ids], [1, ids.length], 'int32')).logits);
    const data = Array.from(await l.data());
    l.dispose();
    return { ids, logits: data };
  }));
  const maxNewTokens = 90;
  const answer = await generate(model, prompts[0], { temperature: 0, maxNewTokens, stopTokens: [end, tokenizer.special('<|doc|>')] });
  model.dispose();
  const curly = '\u201cOdd\u201d \u2014 caf\u00e9\u2026\r\n';
  const conversations: Turn[][] = [[{ role: 'user', content: HEADLINE }, { role: 'assistant', content: 'leaves fall\nslowly' }, { role: 'user', content: 'Again.' }, { role: 'assistant', content: 'ok' }]];
  const cases = { logits, tokenizer: [{ text: curly }], conversations, chat: { messages: [{ role: 'user', content: HEADLINE }], maxNewTokens } };
  writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));

  const r = spawnSync(python!, ['tests/python/gpt2_reference.py', dir, join(dir, 'export.zip'), join(dir, 'cases.json')], { encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout);

  expect(report.zip).toEqual({ damaged: null, members: files.map(([f]) => f).sort(), sameAsFolder: true });
  expect(report.dtypes).toEqual(['F32']);
  expect(report.tensors).toContain('transformer.h.3.mlp.c_fc.weight');
  expect(report.tensors).not.toContain('lm_head.weight'); // tied, as save_pretrained writes GPT-2
  for (const [i, l] of report.logits.entries()) {
    expect(l.maxAbsDiff, `prompt ${i}`).toBeLessThan(1e-4);
    expect(l.argmaxAgree, `prompt ${i}`).toBe(true);
  }
  // tokenizer.json's pipeline gives Heed's ids, normalisation and unknown characters included.
  expect(report.tokenizer[0].tokenizerJson).toEqual(tokenizer.encode(curly));
  // The Jinja template renders Heed's conversations (as SFT trains on them) and its chat prompt;
  // greedy decoding gives Heed's answer, token for token.
  expect(report.conversations).toEqual(conversations.map((c) => renderChat(tokenizer, c).ids));
  expect(report.chat.promptIds).toEqual(prompts[0]);
  expect(report.chat.generated).toEqual(answer.ids);
  expect(report.chat.text).toBe(tokenizer.decode(answer.ids, { skipSpecial: true }));
  expect(report.chat.text.trim().split('\n')).toHaveLength(3); // the haiku, not an empty agreement
});
