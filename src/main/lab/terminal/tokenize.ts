// Splits a command line into arguments the way a POSIX shell does for the simple cases:
// whitespace separates, 'single quotes' keep everything literally, "double quotes" keep spaces and
// allow \" and \\ inside, and a backslash outside quotes takes the next character literally.
// `http GET "/a b.html"` gives ['http', 'GET', '/a b.html']; '' gives an empty argument.

export type TokenizeResult = { ok: true; tokens: string[] } | { ok: false; error: string };

export function tokenize(line: string): TokenizeResult {
  const tokens: string[] = [];
  let current = '';
  /** A token has started, even if it is empty so far (`''` is an argument). */
  let inToken = false;
  let quote: "'" | '"' | null = null;

  const chars = Array.from(line);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else current += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && (chars[i + 1] === '"' || chars[i + 1] === '\\')) current += chars[++i];
      else current += ch;
      continue;
    }
    if (/\s/u.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      continue;
    }
    inToken = true;
    if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '\\') {
      if (i + 1 >= chars.length) return { ok: false, error: 'the line ends with a lone backslash' };
      current += chars[++i];
    } else {
      current += ch;
    }
  }
  if (quote) {
    const name = quote === "'" ? 'single' : 'double';
    return { ok: false, error: `unterminated ${name} quote (${quote})` };
  }
  if (inToken) tokens.push(current);
  return { ok: true, tokens };
}
