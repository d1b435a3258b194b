// Owns reading Cedar source as text: where each policy of a file starts and ends, and turning Cedar's byte offsets into line:column.

/** One policy's place in its file: `start` is its first token (annotations included), `end` is just after its `;`. */
export interface PolicySpan {
  readonly start: number;
  readonly end: number;
}

/**
 * Splits a file that Cedar has already parsed into its policies. In Cedar a `;` outside a string or a
 * `//` comment only ever ends a policy, so the spans are exact, comments and all.
 */
export function splitPolicies(text: string): PolicySpan[] {
  const spans: PolicySpan[] = [];
  let start = -1;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const newline = text.indexOf('\n', i);
      i = newline === -1 ? text.length : newline + 1;
      continue;
    }
    if (c === '"') {
      if (start === -1) start = i;
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === ';') {
      spans.push({ start: start === -1 ? i : start, end: i + 1 });
      start = -1;
    } else if (start === -1 && c !== undefined && !/\s/.test(c)) {
      start = i;
    }
    i++;
  }
  return spans;
}

/** Cedar reports UTF-8 byte offsets; JavaScript strings count UTF-16 units. */
export function byteToCharOffset(text: string, byteOffset: number): number {
  // ASCII text (the common case) needs no conversion.
  if (!/[^\x00-\x7f]/.test(text)) return Math.min(byteOffset, text.length);
  return Buffer.from(text, 'utf8').subarray(0, Math.max(0, byteOffset)).toString('utf8').length;
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, charOffset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(charOffset, text.length)));
  const lastNewline = before.lastIndexOf('\n');
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  return { line, column: before.length - lastNewline };
}
