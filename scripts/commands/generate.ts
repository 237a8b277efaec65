/** heed generate: continue a prompt with a model (a shipped name or a checkpoint file). */
import { generate } from '../../src/engine/generate.ts';
import { renderPrompt } from '../../src/data/chat.ts';
import { UsageError, num, parse, str } from '../lib/args.ts';
import { loadModel, readModelBytes } from '../lib/models.ts';
import { startBackend } from '../lib/session.ts';

export const generateHelp = `heed generate --model NAME|FILE --prompt TEXT [options]
  --max-tokens N (default 200)  --temperature X (default 0.8; 0 = greedy)
  --top-k N (default 0 = off)   --top-p X (default 1 = off)   --seed N (default 0)
  --chat                        wrap the prompt in the chat template (for an instruction-tuned model)
  --backend NAME                --json   (prints {"text"}: the continuation only)`;

export async function generateCommand(argv: string[]): Promise<void> {
  const v = parse(argv, {
    model: { type: 'string' }, prompt: { type: 'string' }, 'max-tokens': { type: 'string' },
    temperature: { type: 'string' }, 'top-k': { type: 'string' }, 'top-p': { type: 'string' },
    seed: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' }, chat: { type: 'boolean' },
  });
  const json = Boolean(v.json);
  const name = str(v, 'model');
  if (!name) throw new UsageError('generate needs --model NAME|FILE');
  const prompt = str(v, 'prompt');
  if (prompt === undefined || prompt === '') throw new UsageError('generate needs a non-empty --prompt');
  const opts = {
    maxNewTokens: num(v, 'max-tokens', 200, 1, 4096, true),
    temperature: num(v, 'temperature', 0.8, 0, 5),
    topK: num(v, 'top-k', 0, 0, 100000, true),
    topP: num(v, 'top-p', 1, 1e-6, 1),
    seed: num(v, 'seed', 0, 0, 2 ** 31, true),
  };
  const file = readModelBytes(name);
  await startBackend(str(v, 'backend', 'auto')!, json, json);
  const { model, tokenizer } = await loadModel(file);
  const stopTokens = [tokenizer.special('<|end|>'), tokenizer.special('<|doc|>')];
  if (!json) process.stdout.write(prompt);
  const ids = v.chat ? renderPrompt(tokenizer, prompt) : tokenizer.encode(prompt);
  if (!json && v.chat) process.stdout.write('\n');
  const result = await generate(model, ids, { ...opts, stopTokens }, (e) => {
    if (!json) process.stdout.write(tokenizer.decode([e.id]));
  });
  const text = tokenizer.decode(result.ids, { skipSpecial: true });
  if (json) console.log(JSON.stringify({ text }));
  else process.stdout.write('\n');
  model.dispose();
}
