/** Node-only: reads the WGSL files from the repository's shaders/ folder with fs (the tsx CLI has no `?raw`). */
import { readFileSync } from 'node:fs';
import { ALL_SHADER_FILES, type ShaderFiles } from './shaders.ts';

/** The shader files, read from disk next to the sources. */
export function loadShaderFilesNode(): ShaderFiles {
  const root = new URL('../../../shaders/', import.meta.url);
  const out: Record<string, string> = {};
  for (const f of ALL_SHADER_FILES) out[f] = readFileSync(new URL(f, root), 'utf8');
  return out;
}
