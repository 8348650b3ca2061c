import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve(__dirname, '../src');
const sheets = ['styles.css', ...readdirSync(join(src, 'styles')).filter((f) => f.endsWith('.css')).map((f) => `styles/${f}`)];

/** The line of the first `}` that closes nothing, or of the first block left open; 0 when none. */
function unbalancedLine(css: string): number {
  let depth = 0;
  let line = 1;
  let openedAt: number[] = [];
  // Comments and strings may hold braces; blank them out, keeping the line breaks.
  const code = css.replace(/\/\*[\s\S]*?\*\/|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, (m) => m.replace(/[^\n]/g, ' '));
  for (const ch of code) {
    if (ch === '\n') line++;
    else if (ch === '{') {
      depth++;
      openedAt.push(line);
    } else if (ch === '}') {
      if (--depth < 0) return line;
      openedAt = openedAt.slice(0, -1);
    }
  }
  return depth > 0 ? openedAt[0]! : 0;
}

describe('style sheets', () => {
  // A stray } once closed the phone-sized @media block early: Vite built it without a word and
  // the top-bar layout applied at every width (no sidebar, no Sign out at 1280 px).
  it.each(sheets)('%s closes every block it opens, and nothing more', (sheet) => {
    expect(unbalancedLine(readFileSync(join(src, sheet), 'utf8'))).toBe(0);
  });
});
