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

/** WCAG's contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('placeholder text', () => {
  it('reads at 4.5:1 or more on the fields it is shown in', () => {
    const css = readFileSync(join(src, 'styles.css'), 'utf8');
    const variable = (name: string) => new RegExp(`${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(css)?.[1];
    const placeholder = /\.input::placeholder\s*\{[^}]*color:\s*(#[0-9a-f]{6})/i.exec(css)?.[1];
    const field = /\.input,\s*\.select\s*\{[^}]*background:\s*var\((--[\w-]+)\)/.exec(css)?.[1];
    expect(placeholder, 'the placeholder colour').toBeDefined();
    expect(field, 'the fields background').toBe('--bg');
    expect(contrast(placeholder!, variable('--bg')!)).toBeGreaterThanOrEqual(4.5);
  });
});
