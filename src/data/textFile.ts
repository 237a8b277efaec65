/**
 * A picked file read as training text, or refused with a message naming it:
 * an image, a zip or a checkpoint would otherwise be decoded into replacement
 * characters and pretrained on. A file is text when it is valid UTF-8 and
 * holds no NUL and few other control characters (tabs, newlines and form
 * feeds are text; a handful of stray ones are tolerated).
 */

/** Most control characters (other than tab, newline, carriage return, form feed) per 1,000 read as text. */
const MAX_CONTROL_PER_MILLE = 5;

export function readText(name: string, bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${name} is not a text file (it is not valid UTF-8 text): pick a .txt file, or paste the text.`);
  }
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) throw new Error(`${name} is not a text file (it holds binary data): pick a .txt file, or paste the text.`);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) || c === 127) control++;
  }
  if (control * 1000 > text.length * MAX_CONTROL_PER_MILLE) {
    throw new Error(`${name} is not a text file (${control} control characters): pick a .txt file, or paste the text.`);
  }
  return text;
}
