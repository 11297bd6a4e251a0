/**
 * Same scenario and seed, same result in Node and in the browser: the engines' Math.exp/log/pow/cos/… differ in
 * the last bit on some inputs (ECMAScript leaves them implementation-approximated), so code outside src/ui must
 * use src/core/detMath.ts, built from the basic operations IEEE 754 rounds exactly. This scans every
 * src/**\/*.ts outside src/ui (comments and string literals blanked first) for those calls and for `**`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

// Math functions whose results ECMAScript does not pin to the bit (abs, floor, sqrt, fround, … are exact).
const INEXACT_MATH =
  /\bMath\.(exp|expm1|log|log1p|log2|log10|pow|cos|sin|tan|acos|asin|atan|atan2|cosh|sinh|tanh|acosh|asinh|atanh|cbrt|hypot)\b/g;

/** Every .ts file under dir, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return d.name.endsWith('.ts') ? [path] : [];
  });
}

/** The text with comments and string/template literal contents replaced by spaces (line numbers kept). */
function blankCommentsAndStrings(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    let end = i + 1;
    if (c === '/' && next === '/') {
      end = text.indexOf('\n', i);
      if (end < 0) end = text.length;
    } else if (c === '/' && next === '*') {
      end = text.indexOf('*/', i + 2);
      end = end < 0 ? text.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      end = i + 1;
      while (end < text.length && text[end] !== c) end += text[end] === '\\' ? 2 : 1;
      end++;
    } else {
      out += c;
      i++;
      continue;
    }
    out += text.slice(i, end).replace(/[^\n]/g, ' ');
    i = end;
  }
  return out;
}

/** Each forbidden use in one file's text, as `path:line: what`. */
function findings(path: string, text: string): string[] {
  const found: string[] = [];
  blankCommentsAndStrings(text)
    .split('\n')
    .forEach((line, n) => {
      for (const m of line.matchAll(INEXACT_MATH)) found.push(`${path}:${n + 1}: ${m[0]}`);
      if (line.includes('**')) found.push(`${path}:${n + 1}: **`);
    });
  return found;
}

describe('deterministic math outside src/ui', () => {
  it('no Math.exp/log/pow/cos/… and no ** in src (use src/core/detMath.ts: exp, log, cos, pow10, pow2)', () => {
    const files = sourceFiles(join(ROOT, 'src')).filter((f) => !relative(ROOT, f).startsWith(join('src', 'ui')));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) => findings(relative(ROOT, f), readFileSync(f, 'utf8')));
    expect(found, `engine-dependent math; call src/core/detMath.ts instead:\n${found.join('\n')}`).toEqual([]);
  });
  it('the scanner sees calls and ** in code but not in comments or strings', () => {
    const text = [
      '/** e ** x via Math.exp */',
      "const label = 'Math.log(x) ** 2';",
      'const a = Math.exp(x); // Math.cos',
      'const b = 2 ** k;',
      'const c = Math.pow(x, y) + Math.log10(z) + Math.abs(w);',
    ].join('\n');
    expect(findings('f.ts', text)).toEqual(['f.ts:3: Math.exp', 'f.ts:4: **', 'f.ts:5: Math.pow', 'f.ts:5: Math.log10']);
  });
});
