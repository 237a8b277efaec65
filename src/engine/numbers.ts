/**
 * Numbers typed by a person (CLI flags, the URL hash): plain decimals only.
 * JavaScript's Number() also takes "0x3", "0b11", " 3 ", "" (0) and
 * "Infinity"; a typo there should be refused, not read as some other number.
 * And the one way Heed writes a rate for a person (no TF.js here: the page imports it).
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a decimal string spells, or why it is not one (for a message). */
export function parseDecimal(text: string): { value: number } | { problem: string } {
  if (!DECIMAL.test(text)) return { problem: 'not a decimal number' };
  const value = Number(text);
  if (!Number.isFinite(value)) return { problem: 'too large to represent' };
  return { value };
}

/** A decimal in [lo, hi] (an integer when asked), else undefined. */
export function decimalIn(text: string, lo: number, hi: number, integer = false): number | undefined {
  const r = parseDecimal(text);
  if (!('value' in r) || r.value < lo || r.value > hi || (integer && !Number.isInteger(r.value))) return undefined;
  return r.value;
}

/** A rate rounded, with thousands separators fixed to English ("5,200"), whatever the browser's locale. */
export const formatRate = (perSecond: number): string => Math.round(perSecond).toLocaleString('en-US');
