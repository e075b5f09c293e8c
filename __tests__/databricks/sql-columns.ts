/**
 * A small SQL reader for the analysis files: which bare identifiers does a query read as columns?
 * Drops comments, string literals and :parameter markers, then ignores keywords, function names (a word
 * followed by "(") and aliases the query defines with AS. What remains must be a column of the table.
 */
const KEYWORDS = new Set(
  [
    'select', 'from', 'where', 'group', 'by', 'order', 'having', 'as', 'and', 'or', 'not', 'null', 'is', 'in',
    'asc', 'desc', 'distinct', 'interval', 'second', 'seconds', 'minute', 'minutes', 'hour', 'hours', 'day',
    'days', 'limit', 'all', 'case', 'when', 'then', 'else', 'end', 'true', 'false', 'between', 'nulls', 'first',
    'last', 'create', 'schema', 'volume', 'if', 'exists', 'comment', 'managed', 'location',
  ],
);

export function columnReferences(sql: string): string[] {
  const text = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/'(?:[^']|'')*'/g, ' ')
    .replace(/:[A-Za-z_][A-Za-z0-9_]*/g, ' ');
  const words = [...text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)];
  const aliases = new Set<string>();
  words.forEach((m, i) => {
    if (i > 0 && words[i - 1][0].toLowerCase() === 'as') aliases.add(m[0]);
  });
  const refs = new Set<string>();
  for (const m of words) {
    const word = m[0];
    const after = text.slice(m.index! + word.length).trimStart();
    if (KEYWORDS.has(word.toLowerCase()) || after.startsWith('(') || aliases.has(word)) continue;
    refs.add(word);
  }
  return [...refs].sort();
}
