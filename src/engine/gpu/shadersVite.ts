/** Browser/worker: the WGSL files bundled as strings by Vite (`?raw`), keyed like shadersNode.ts. */
import type { ShaderFiles } from './shaders.ts';

const raw = import.meta.glob('../../../shaders/**/*.wgsl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** The shader files as Vite bundled them. */
export function loadShaderFilesVite(): ShaderFiles {
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(raw)) out[path.replace(/^.*?\/shaders\//, '')] = text;
  return out;
}
