/**
 * Node-only GPU provider for the CLI and tests: Dawn through the `webgpu` npm package. Without a GPU, Dawn can run
 * on SwiftShader (Debian's chromium ships its Vulkan ICD; the Vulkan loader comes from the libvulkan1 package):
 * VK_ICD_FILENAMES is pointed at it when unset and the file exists. `selectEngine('auto')` still refuses a
 * software adapter; `--engine gpu` accepts it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadShaderFilesNode } from '../gpu/shadersNode.ts';
import type { GpuProvider } from './select.ts';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Points Vulkan at SwiftShader when nothing else is configured and the ICD file exists. */
export function useSwiftShaderIfUnset(): void {
  if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}

/**
 * Dawn's Vulkan probing prints "XDG_RUNTIME_DIR is invalid or not set" on headless machines (CI, containers):
 * give it a private runtime directory when none is set, so the CLI's stderr carries only our own messages.
 */
function ensureRuntimeDir(): void {
  if (process.env.XDG_RUNTIME_DIR) return;
  const dir = join(tmpdir(), `slicebench-runtime-${process.getuid?.() ?? 'user'}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = dir;
  } catch {
    // Harmless: the warning stays.
  }
}

/** The `webgpu` package's GPU object (globals installed), or why there is none. */
export async function nodeGpuProvider(options: { swiftShaderFallback?: boolean } = {}): Promise<GpuProvider> {
  const files = loadShaderFilesNode();
  if (options.swiftShaderFallback ?? true) useSwiftShaderIfUnset();
  ensureRuntimeDir();
  try {
    const mod = (await import('webgpu')) as { create: (opts: string[]) => GPU; globals: Record<string, unknown> };
    Object.assign(globalThis, mod.globals);
    return { gpu: mod.create([]), files };
  } catch (err) {
    return { gpu: undefined, missing: `the webgpu package could not be loaded (${err instanceof Error ? err.message : String(err)})`, files };
  }
}
