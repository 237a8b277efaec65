/**
 * The chat template, as nanochat's render_conversation does it: a document
 * start, then `<|user|>` text `<|end|>` `<|assistant|>` text `<|end|>`. The
 * mask is 1 exactly on the assistant's tokens and its closing `<|end|>`: the
 * SFT loss trains on the answer and on stopping, never on the prompt.
 * Message text is encoded without special tokens, so a prompt cannot forge one.
 * Tokens are appended one by one: `push(...toks)` passes every token as an
 * argument and overflows the call stack on a text of ~125k characters.
 */
import type { CharTokenizer } from '../engine/tokenizer.ts';

export interface Turn {
  role: 'user' | 'assistant';
  content: string;
}

export interface Rendered {
  ids: number[];
  mask: number[]; // 1 = train on this token
}

export function renderChat(tokenizer: CharTokenizer, conversation: Turn[]): Rendered {
  const ids: number[] = [tokenizer.special('<|doc|>')];
  const mask: number[] = [0];
  const push = (toks: number[], m: 0 | 1) => {
    for (const t of toks) {
      ids.push(t);
      mask.push(m);
    }
  };
  for (const turn of conversation) {
    const marker = turn.role === 'user' ? '<|user|>' : '<|assistant|>';
    const train = turn.role === 'assistant' ? 1 : 0;
    push([tokenizer.special(marker)], 0);
    push(tokenizer.encode(turn.content), train);
    push([tokenizer.special('<|end|>')], train);
  }
  return { ids, mask };
}

/** Tokens to generate an answer from: the user's turn, then the assistant marker. */
export function renderPrompt(tokenizer: CharTokenizer, prompt: string): number[] {
  const { ids } = renderChat(tokenizer, [{ role: 'user', content: prompt }]);
  return [...ids, tokenizer.special('<|assistant|>')];
}

/**
 * The same template in Jinja, for Hugging Face's apply_chat_template (the
 * export's tokenizer_config.json). Rendered then tokenized, it gives
 * renderChat's ids; add_generation_prompt gives renderPrompt's.
 */
export const CHAT_TEMPLATE_JINJA =
  "{{ '<|doc|>' }}{% for message in messages %}" +
  "{% if message['role'] == 'user' %}{{ '<|user|>' + message['content'] + '<|end|>' }}" +
  "{% elif message['role'] == 'assistant' %}{{ '<|assistant|>' + message['content'] + '<|end|>' }}" +
  "{% else %}{{ raise_exception('Heed models know user and assistant turns only') }}{% endif %}" +
  "{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";
