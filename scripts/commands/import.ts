/** heed import: a model in Hugging Face's GPT-2 layout (a folder, an export's .zip or a .safetensors) back into a Heed checkpoint. */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpoint } from '../../src/engine/checkpoint.ts';
import { checkpointFromFile, importHuggingFace } from '../../src/engine/huggingface.ts';
import { UsageError, emit, parse, str } from '../lib/args.ts';

export const importHelp = `heed import --from DIR|FILE.safetensors|FILE.zip --out FILE.heed [--json]
  DIR holds model.safetensors (GPT2LMHeadModel's names, float32) with config.json and vocab.json
  or tokenizer.json (a character vocabulary, Heed's special tokens first); a lone .safetensors must be one
  Heed exported. Anything that does not fit is refused with what does not.`;

/** The files import reads from a folder. */
const FOLDER_FILES = ['model.safetensors', 'config.json', 'vocab.json', 'tokenizer.json'];

export async function importCommand(argv: string[]): Promise<void> {
  const v = parse(argv, { from: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } });
  const from = str(v, 'from');
  const out = str(v, 'out');
  if (!from) throw new UsageError('import needs --from DIR|FILE.safetensors|FILE.zip');
  if (!out) throw new UsageError('import needs --out FILE.heed');
  if (!existsSync(from)) throw new UsageError(`--from ${from}: no such file or folder`);
  let bytes: Uint8Array;
  if (statSync(from).isDirectory()) {
    const files = new Map(FOLDER_FILES.filter((f) => existsSync(join(from, f))).map((f) => [f, new Uint8Array(readFileSync(join(from, f)))]));
    bytes = importHuggingFace(files);
  } else bytes = checkpointFromFile(new Uint8Array(readFileSync(from)));
  let header;
  try {
    header = readCheckpoint(bytes).header;
  } catch (e) {
    throw new Error(`${from} is not a model.safetensors, an export's .zip or a Heed checkpoint (${(e as Error).message})`);
  }
  writeFileSync(out, bytes);
  emit(Boolean(v.json), { done: true, out, stage: header.stage, step: header.step, config: header.config },
    `imported ${from} (${header.stage}, step ${header.step}, ${header.config.nLayer} layers x ${header.config.nEmbd} wide) into ${out}`);
}
