/**
 * WGSL sources by kernel. WGSL has no #include: a kernel is its helper files concatenated in order. Where the
 * text comes from is the caller's choice: `shadersNode.ts` reads shaders/ with fs (Node: CLI, tests);
 * `shadersVite.ts` imports them as strings through Vite's `?raw` glob (browser, worker).
 */

/** File text keyed by path relative to shaders/ (e.g. `lib/wide.wgsl`). */
export type ShaderFiles = Readonly<Record<string, string>>;

/** Each kernel and the files that make it, in concatenation order. */
export const KERNEL_FILES = {
  filterScoreK8s: ['params.wgsl', 'lib/wide.wgsl', 'lib/softDouble.wgsl', 'lib/filterPrologue.wgsl', 'filterScoreK8s.wgsl'],
  filterScoreFgd: ['params.wgsl', 'lib/wide.wgsl', 'lib/softDouble.wgsl', 'lib/softDoubleSum.wgsl', 'lib/filterPrologue.wgsl', 'filterScoreFgd.wgsl'],
  filterScoreBaselines: ['params.wgsl', 'lib/wide.wgsl', 'lib/softDouble.wgsl', 'lib/softDoubleSum.wgsl', 'lib/softDoubleMul.wgsl', 'lib/filterPrologue.wgsl', 'filterScoreBaselines.wgsl'],
  normalizeMinMax: ['params.wgsl', 'lib/wide.wgsl', 'normalizeMinMax.wgsl'],
  selectBest: ['params.wgsl', 'lib/windowScan.wgsl', 'selectBest.wgsl'],
  spreadPass: ['lib/wide.wgsl', 'lib/softDouble.wgsl', 'lib/softDoubleSum.wgsl', 'lib/windowScan.wgsl', 'spreadPass.wgsl'],
  filterScoreVolcano: ['volcanoParams.wgsl', 'lib/wide.wgsl', 'lib/softDouble.wgsl', 'lib/softDoubleSum.wgsl', 'lib/softDoubleMul.wgsl', 'lib/balancedThree.wgsl', 'lib/filterPrologue.wgsl', 'filterScoreVolcano.wgsl'],
  selectMaxKey: ['volcanoParams.wgsl', 'selectMaxKey.wgsl'],
  filterScoreHami: ['params.wgsl', 'lib/softFloat32.wgsl', 'lib/filterPrologue.wgsl', 'filterScoreHami.wgsl'],
  selectHami: ['params.wgsl', 'lib/windowScan.wgsl', 'selectHami.wgsl'],
} as const;

export type KernelName = keyof typeof KERNEL_FILES;

/** Every shader file a kernel needs. */
export const ALL_SHADER_FILES: readonly string[] = [...new Set(Object.values(KERNEL_FILES).flat())];

/** The complete WGSL of a kernel. Throws when a file is missing (a packaging bug). */
export function kernelSource(files: ShaderFiles, kernel: KernelName): string {
  return KERNEL_FILES[kernel]
    .map((f) => {
      const text = files[f];
      if (text === undefined) throw new Error(`missing shader file: shaders/${f}`);
      return `// ---- shaders/${f}\n${text}`;
    })
    .join('\n');
}
