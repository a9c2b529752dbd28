/** The rows of a CSV the console exported (every cell quoted, CRLF, a BOM first), by their column names. */
export function csvRows(csv: string): Record<string, string>[] {
  const [head, ...rows] = csv
    .replace(/^\ufeff/, '')
    .trimEnd()
    .split('\r\n');
  const cells = (l: string) => [...l.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"'));
  const names = cells(head!);
  return rows.map((l) => Object.fromEntries(cells(l).map((v, i) => [names[i]!, v])));
}
