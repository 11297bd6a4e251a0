/**
 * Entry of the GPU benchmark kit (`npm run gpu-kit` bundles it into gpu-kit/slicebench.mjs; gpu-kit/run.sh runs
 * it with the kit's own Node). Commands: `bench …` (src/cli/bench.ts, unchanged flags), `kit-adapter` (the WebGPU
 * adapter Dawn finds, as JSON; exit 3 when there is none), `kit-summary OUT_DIR name=status…` (writes
 * OUT_DIR/summary.json), and every `slicebench` command (src/cli/main.ts).
 * No `import.meta.url` here: the bundler maps the other modules' `import.meta.url` into the kit's run-time
 * repository root (SLICEBENCH_KIT_REPO), and this module must set that root before they are loaded.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The adapter record run.sh keeps and summary.json repeats. */
export interface KitAdapter {
  /** `adapterName` of the adapter's info (the name the bench rows carry), or null when Dawn found none. */
  adapter: string | null;
  vendor: string | null;
  architecture: string | null;
  device: string | null;
  /** The Vulkan driver's own description (on NVIDIA it names the driver version). */
  description: string | null;
  /** True for a software adapter (SwiftShader, llvmpipe…): its figures are not GPU figures. */
  software: boolean | null;
  maxStorageBufferBindingSize: number | null;
  maxBufferSize: number | null;
  /** Why there is no adapter, when there is none. */
  missing?: string;
}

/** One bench's outcome as run.sh reports it (`engine=ok`, `sweep=failed:1`). */
export interface KitBenchStatus {
  name: string;
  /** The bench's JSON file in OUT_DIR, or null when it failed (nothing partial is kept). */
  file: string | null;
  ok: boolean;
  exitCode: number;
}

/** Parses run.sh's `name=ok` / `name=failed:CODE` arguments. */
export function parseBenchStatuses(args: readonly string[]): KitBenchStatus[] {
  return args.map((a) => {
    const [name, status = ''] = a.split('=');
    const ok = status === 'ok';
    const exitCode = ok ? 0 : Number(status.split(':')[1] ?? 1);
    return { name, file: ok ? `${name}.json` : null, ok, exitCode };
  });
}

/** The first CSV line of `nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader`, parsed. */
export function parseNvidiaSmiQuery(text: string): { name: string; driverVersion: string; memory: string } | null {
  const line = text.split('\n').find((l) => l.split(',').length >= 3);
  if (!line) return null;
  const [name, driverVersion, memory] = line.split(',').map((s) => s.trim());
  return { name, driverVersion, memory };
}

/** Asks Dawn for the high-performance adapter and describes it (no device is created). */
async function describeAdapter(): Promise<KitAdapter> {
  const { nodeGpuProvider } = await import('../engine/wiring/nodeGpu.ts');
  const { adapterName, isSoftwareAdapter } = await import('../engine/wiring/select.ts');
  const none = (missing: string): KitAdapter => ({ adapter: null, vendor: null, architecture: null, device: null, description: null, software: null, maxStorageBufferBindingSize: null, maxBufferSize: null, missing });
  const provider = await nodeGpuProvider({ swiftShaderFallback: false });
  if (!provider.gpu) return none(provider.missing ?? 'no WebGPU entry point');
  let a: GPUAdapter | null;
  try {
    a = await provider.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return none(`requestAdapter failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!a) return none('Dawn found no WebGPU adapter (no Vulkan driver answered)');
  const info = a.info;
  return {
    adapter: adapterName(info),
    vendor: info.vendor || null,
    architecture: info.architecture || null,
    device: info.device || null,
    description: info.description || null,
    software: isSoftwareAdapter(a),
    maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize,
    maxBufferSize: a.limits.maxBufferSize,
  };
}

/** Reads a JSON file, or null when it is missing or broken. */
function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** Writes OUT_DIR/summary.json from the adapter record, nvidia-smi's answer, the kit manifest and the benches' statuses. */
function writeSummary(outDir: string, statuses: KitBenchStatus[]): Record<string, unknown> {
  const env = process.env;
  const adapter = (env.SLICEBENCH_KIT_ADAPTER_JSON ? readJson(env.SLICEBENCH_KIT_ADAPTER_JSON) : null) as KitAdapter | null;
  const manifest = (env.SLICEBENCH_KIT_DIR ? readJson(join(env.SLICEBENCH_KIT_DIR, 'manifest.json')) : null) as { commit?: string; dirty?: boolean; builtAt?: string } | null;
  const smiFile = env.SLICEBENCH_KIT_SMI_QUERY;
  const smi = smiFile && existsSync(smiFile) ? parseNvidiaSmiQuery(readFileSync(smiFile, 'utf8')) : null;
  // every row of every bench must name the adapter summary.json names: a mismatch is reported, never hidden
  const rowAdapters = new Set<string>();
  for (const s of statuses) {
    if (!s.file) continue;
    const doc = readJson(join(outDir, s.file)) as { results?: { rows?: Record<string, unknown>[] }[] } | null;
    for (const r of doc?.results?.flatMap((x) => x.rows ?? []) ?? []) if (typeof r.adapter === 'string') rowAdapters.add(r.adapter);
  }
  const software = adapter?.software ?? null;
  const summary = {
    kind: 'slicebench/gpu-kit-summary',
    adapter: adapter?.adapter ?? null,
    software,
    gpu: adapter?.adapter != null && software === false,
    driver: smi?.driverVersion ?? adapter?.description ?? null,
    adapterInfo: adapter,
    nvidiaSmi: smi,
    vulkanIcd: env.SLICEBENCH_KIT_ICD || null,
    vulkanIcdSource: env.SLICEBENCH_KIT_ICD_SOURCE || null,
    node: process.version,
    nodeExecPath: process.execPath,
    kitCommit: manifest?.commit ?? null,
    kitDirty: manifest?.dirty ?? null,
    kitBuiltAt: manifest?.builtAt ?? null,
    date: new Date().toISOString(),
    quick: env.SLICEBENCH_KIT_QUICK === '1',
    benches: statuses,
    complete: statuses.length > 0 && statuses.every((s) => s.ok),
    rowAdapters: [...rowAdapters],
    note:
      adapter?.adapter == null
        ? 'no WebGPU adapter: only CPU rows were measured'
        : software
          ? `software adapter (${adapter.adapter}): its WebGPU rows are NOT GPU figures`
          : `GPU: ${adapter.adapter}`,
  };
  writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

/** Dispatches the kit's commands (see the file comment). */
async function kitMain(argv: string[]): Promise<number> {
  if (process.env.SLICEBENCH_KIT_REPO) (globalThis as { __slicebenchKitRepo?: string }).__slicebenchKitRepo = pathToFileURL(`${process.env.SLICEBENCH_KIT_REPO}/`).href;
  const [cmd, ...rest] = argv;
  if (cmd === 'bench') {
    // bench.ts is a script: it reads process.argv when it loads
    process.argv = [process.argv[0], process.argv[1], ...rest];
    await import('./bench.ts');
    return 0;
  }
  if (cmd === 'kit-adapter') {
    const a = await describeAdapter();
    process.stdout.write(`${JSON.stringify(a, null, 2)}\n`);
    return a.adapter ? 0 : 3;
  }
  if (cmd === 'kit-summary') {
    const [outDir, ...statuses] = rest;
    const s = writeSummary(outDir, parseBenchStatuses(statuses));
    process.stderr.write(`gpu-kit: ${String(s.note)}; summary in ${join(outDir, 'summary.json')}\n`);
    return s.complete ? 0 : 1;
  }
  const { main } = await import('./main.ts');
  return main(argv);
}

// Dawn keeps the event loop alive after its work, so the kit leaves with the code rather than waiting
if (process.env.SLICEBENCH_KIT_ENTRY === '1') process.exit(await kitMain(process.argv.slice(2)));
