/**
 * Line-by-line reading of package database text files (dpkg status, apk installed): `\n` or `\r\n` line ends,
 * 1-based line numbers, and whether the line was ended by a newline (a file cut inside a line is told apart
 * from a complete one). A callback, not a generator: this runs over every line of 50,000-package files.
 */
export function eachLine(text: string, visit: (line: string, lineNo: number, terminated: boolean) => void): void {
  let start = 0;
  let lineNo = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    const terminated = end >= 0;
    if (!terminated) end = n;
    let line = text.slice(start, end);
    start = end + 1;
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    visit(line, lineNo, terminated);
  }
}
