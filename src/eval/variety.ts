/**
 * Variety of a model's answers, which the instruction checks cannot see: a
 * model that passes every haiku check with the same two closing lines, or a
 * list that repeats an item word for word, has learnt a template, not the
 * task. `haikuDiversity` looks at the haiku answers of a suite line by line;
 * `repeatedLineShare` at every answer of more than one line.
 */
import { findTopic } from '../data/topics.ts';
import { mentions } from '../tasks/haiku.ts';

export interface HaikuDiversity {
  /** Haiku answers looked at (answers to prompts whose only instruction is a haiku). */
  answers: number;
  /** Distinct second and third lines. */
  distinctSecond: number;
  distinctThird: number;
  /** The most repeated second or third line, and how many answers hold it there. */
  mostRepeated: { line: string; count: number } | null;
  /** Share of answers about a topic with related words that use one of them beyond the topic itself. */
  relatedWordShare: number | null;
}

export interface VarietyReport {
  /** Share of answers of more than one line in which some line appears twice, word for word. */
  repeatedLineShare: number | null;
  multiLineAnswers: number;
  haikuDiversity: HaikuDiversity | null;
}

interface Answered {
  response: string;
  topic: string;
  instruction_id_list: string[];
}

const linesOf = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

function count(lines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

export function haikuDiversity(answered: Answered[]): HaikuDiversity | null {
  const haiku = answered.filter((a) => a.instruction_id_list.length === 1 && a.instruction_id_list[0] === 'heed:haiku');
  if (!haiku.length) return null;
  const lines = haiku.map((a) => linesOf(a.response).map((l) => l.toLowerCase()));
  const second = count(lines.map((l) => l[1]).filter((l): l is string => l !== undefined));
  const third = count(lines.map((l) => l[2]).filter((l): l is string => l !== undefined));
  const top = [...second, ...third].sort((a, b) => b[1] - a[1])[0];
  const withRelated = haiku.filter((a) => (findTopic(a.topic)?.words.length ?? 0) > 0);
  const related = withRelated.filter((a) => mentions(a.response, findTopic(a.topic)!.words.filter((w) => w !== a.topic.toLowerCase())));
  return {
    answers: haiku.length,
    distinctSecond: second.size,
    distinctThird: third.size,
    mostRepeated: top ? { line: top[0], count: top[1] } : null,
    relatedWordShare: withRelated.length ? related.length / withRelated.length : null,
  };
}

export function repeatsALine(text: string): boolean {
  const lines = linesOf(text);
  return new Set(lines).size < lines.length;
}

export function variety(answered: Answered[]): VarietyReport {
  const multi = answered.filter((a) => linesOf(a.response).length > 1);
  return {
    repeatedLineShare: multi.length ? multi.filter((a) => repeatsALine(a.response)).length / multi.length : null,
    multiLineAnswers: multi.length,
    haikuDiversity: haikuDiversity(answered),
  };
}

/** One line for people: "haiku: 31 distinct second lines, 28 third of 40; top line ×3; related words 55 %; repeated lines 8 % of 81". */
export function describeVariety(v: VarietyReport): string {
  const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)} %`);
  const h = v.haikuDiversity;
  const haiku = h
    ? `haiku: ${h.distinctSecond} distinct second lines and ${h.distinctThird} third of ${h.answers}; most repeated ×${h.mostRepeated?.count ?? 0}` +
      `${h.mostRepeated ? ` ("${h.mostRepeated.line}")` : ''}; related words ${pct(h.relatedWordShare)}; `
    : '';
  return `${haiku}repeated lines in ${pct(v.repeatedLineShare)} of ${v.multiLineAnswers} multi-line answers`;
}
