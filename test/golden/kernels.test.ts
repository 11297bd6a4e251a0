/**
 * Golden test of every assembled kernel (shaders.ts KERNEL_FILES concatenated by kernelSource): the exact WGSL a
 * GPU compiles, pinned in test/golden/kernels/<kernel>.wgsl.txt (text, so it is not read as a second copy of the code), plus the module-scope checks a WGSL compiler makes
 * that a broken concatenation trips (a helper file missing or twice, a file out of order) — so they show here,
 * without a GPU. After an intended kernel change: `npx vitest run test/golden -u`, and read the diff.
 */
import { describe, expect, it } from 'vitest';
import { KERNEL_FILES, kernelSource, type KernelName } from '../../src/engine/gpu/shaders.ts';
import { loadShaderFilesNode } from '../../src/engine/gpu/shadersNode.ts';

const files = loadShaderFilesNode();
const kernels = Object.keys(KERNEL_FILES) as KernelName[];

/** WGSL's built-in functions and value constructors that our kernels call (WGSL spec §17 and §16). */
const BUILTINS = new Set([
  'abs', 'all', 'any', 'array', 'arrayLength', 'atomicAdd', 'atomicLoad', 'atomicMax', 'atomicMin', 'atomicStore', 'atomicOr', 'atomicAnd', 'atomicSub', 'atomicExchange', 'workgroupUniformLoad',
  'bitcast', 'ceil', 'clamp', 'countLeadingZeros', 'countOneBits', 'countTrailingZeros', 'exp', 'exp2',
  'extractBits', 'f32', 'firstLeadingBit', 'firstTrailingBit', 'floor', 'i32', 'insertBits', 'log', 'log2', 'max',
  'min', 'pow', 'reverseBits', 'round', 'select', 'sign', 'sqrt', 'storageBarrier', 'trunc', 'u32', 'vec2', 'vec3',
  'vec4', 'vec2u', 'vec3u', 'vec4u', 'vec2i', 'vec2f', 'workgroupBarrier', 'bool',
]);
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'return', 'loop', 'fn', 'else']);

/** The WGSL without comments (line comments only: our kernels use no block comments). */
function code(src: string): string {
  return src.replace(/\/\/[^\n]*/g, '');
}

/** Module-scope declarations: fn, struct, const, override, var, alias names with their counts. */
function declarations(src: string): Map<string, number> {
  const out = new Map<string, number>();
  let depth = 0;
  for (const tok of code(src).matchAll(/[{}]|\b(fn|struct|const|override|alias|var(?:<[^>]*>)?)\s+([A-Za-z_]\w*)/g)) {
    if (tok[0] === '{') depth++;
    else if (tok[0] === '}') depth--;
    else if (depth === 0) out.set(tok[2], (out.get(tok[2]) ?? 0) + 1);
  }
  return out;
}

describe('assembled kernel sources', () => {
  it('every shader file is used by some kernel, and every kernel has files', () => {
    for (const k of kernels) expect(KERNEL_FILES[k].length, k).toBeGreaterThan(1);
    expect(new Set(Object.keys(files))).toEqual(new Set(kernels.flatMap((k) => [...KERNEL_FILES[k]])));
  });

  it.each(kernels)('%s equals its golden file', async (k) => {
    await expect(kernelSource(files, k)).toMatchFileSnapshot(`./kernels/${k}.wgsl.txt`);
  });

  it.each(kernels)('%s: one compute entry point, unique bindings, every module-scope name declared once', (k) => {
    const src = code(kernelSource(files, k));
    expect(src.match(/@compute/g)?.length, 'compute entry points').toBe(1);
    const bindings = [...src.matchAll(/@group\((\d+)\)\s*@binding\((\d+)\)/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(bindings.length).toBeGreaterThan(0);
    expect(new Set(bindings).size, `bindings ${bindings.join(' ')}`).toBe(bindings.length);
    const twice = [...declarations(src)].filter(([, n]) => n > 1).map(([name]) => name);
    expect(twice, 'declared more than once').toEqual([]);
  });

  it.each(kernels)('%s: every function it calls is declared in it (or a WGSL built-in)', (k) => {
    const src = code(kernelSource(files, k));
    const declared = declarations(src);
    const called = new Set([...src.matchAll(/(?<!@)\b([A-Za-z_]\w*)\s*(?:<[^<>()]*>)?\s*\(/g)].map((m) => m[1]));
    const unknown = [...called].filter((c) => !declared.has(c) && !BUILTINS.has(c) && !KEYWORDS.has(c)).sort();
    expect(unknown).toEqual([]);
  });

  it('the checks catch a broken concatenation: a helper file left out, or given twice', () => {
    const broken = { ...files, 'lib/wide.wgsl': '' };
    const src = code(kernelSource(broken, 'filterScoreK8s'));
    const declared = declarations(src);
    const called = [...src.matchAll(/(?<!@)\b([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]);
    expect(called.some((c) => !declared.has(c) && !BUILTINS.has(c) && !KEYWORDS.has(c))).toBe(true);
    const doubled = code(kernelSource(files, 'filterScoreK8s') + kernelSource(files, 'filterScoreK8s'));
    expect([...declarations(doubled)].some(([, n]) => n > 1)).toBe(true);
  });
});
