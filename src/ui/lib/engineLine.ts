/**
 * The engine badge's short reason: the worker's engine line (src/worker/engineInfo.ts, from
 * src/engine/wiring/select.ts) is a sentence; the toolbar shows a few words and keeps the sentence for hover, focus
 * and the help overlay.
 */

/** The badge's two parts: which engine, and the gist of why (a few words). */
export interface EngineLine {
  engine: 'WebGPU' | 'CPU engine';
  short: string;
}

const CPU_REASONS: [RegExp, string | ((m: RegExpMatchArray) => string)][] = [
  [/checking for WebGPU/, 'checking for WebGPU…'],
  [/GPU forced, but/, 'GPU forced: unavailable'],
  [/chosen in the workbench|requested with --engine cpu/, 'chosen'],
  [/only WebGPU adapter is a software one/, 'software WebGPU only'],
  [/no WebGPU \(navigator\.gpu\)|has no WebGPU|WebGPU is not available/, 'no WebGPU here'],
  [/no WebGPU adapter/, 'no WebGPU adapter'],
  [/requesting a WebGPU (adapter|device) failed/, (m) => `WebGPU ${m[1]} failed`],
  [/compiling the kernels failed/, 'GPU kernels failed'],
  [/device lost|the runs finish on the CPU engine/, 'GPU lost: on CPU'],
  [/engine selection failed/, 'selection failed'],
];

/** Splits an engine line into the engine and a short reason (at most about 24 characters). */
export function engineLine(reason: string): EngineLine {
  const gpu = /^WebGPU:\s*([^(]+?)\s*(\(|$)/.exec(reason);
  if (gpu) {
    // A forced software adapter is named as such (its speed is not a GPU's); otherwise the adapter's name.
    if (/software adapter[^)]*forced/.test(reason)) return { engine: 'WebGPU', short: 'software adapter, forced' };
    const name = gpu[1];
    return { engine: 'WebGPU', short: name.length > 24 ? `${name.slice(0, 23)}…` : name };
  }
  for (const [re, short] of CPU_REASONS) {
    const m = reason.match(re);
    if (m) return { engine: 'CPU engine', short: typeof short === 'string' ? short : short(m) };
  }
  const rest = reason.replace(/^CPU engine:?\s*/, '').split(/[;,(]/)[0].trim();
  return { engine: 'CPU engine', short: rest.length > 24 ? `${rest.slice(0, 23)}…` : rest };
}
