/** Longest problem text kept whole; longer ones (quoting hostile input) keep their start and end. */
const MAX_PROBLEM = 400;

/**
 * `text` as one printable line: control characters (newlines of a quoted JSON excerpt, bytes of
 * a damaged name) escaped, and a very long text shortened in the middle.
 */
export function oneLine(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`));
  return flat.length <= MAX_PROBLEM ? flat : `${flat.slice(0, MAX_PROBLEM - 100)} … ${flat.slice(-90)}`;
}
