/**
 * The engine status in words, for the UI: the worker sends a value (src/worker/engineInfo.ts over
 * src/engine/wiring/select.ts: EngineStatus { engine, cause, adapter, detail }); the toolbar badge shows the engine
 * and a few words (`engineLine`), its panel and the help overlay the whole sentence (`engineSentence`).
 */
import { profileInfo } from '../../scenario/profileCatalog.ts';
import type { EngineStatus } from '../../worker/protocol.ts';

/** The badge's two parts: which engine, and the gist of why (a few words). */
export interface EngineLine {
  engine: 'WebGPU' | 'CPU engine';
  short: string;
}

/** The status before the worker has selected an engine. */
export const CHECKING_ENGINE: EngineStatus = { engine: 'cpu', cause: 'checking', adapter: null, detail: '' };

/** Why no GPU runs, for the selection's CPU-side causes (the platform's own words in `detail`). */
function whyNoGpu(s: EngineStatus): string {
  const words: Partial<Record<EngineStatus['cause'], string>> = {
    'no-adapter': 'no WebGPU adapter',
    'adapter-failed': `requesting a WebGPU adapter failed: ${s.detail}`,
    'device-failed': `requesting a WebGPU device failed: ${s.detail}`,
    'compile-failed': `compiling the kernels failed: ${s.detail}`,
  };
  return words[s.cause] ?? (s.detail || 'no WebGPU engine could be had');
}

/** The whole sentence, e.g. `WebGPU: NVIDIA H100 (auto; profiles without a GPU kernel run on the CPU)`. */
export function engineSentence(s: EngineStatus): string {
  if (s.engine === 'gpu') {
    const how = `${s.software ? 'software adapter, not a GPU — ' : ''}${s.cause === 'requested' ? 'forced' : 'auto'}`;
    return `WebGPU: ${s.adapter ?? 'unknown adapter'} (${how}; profiles without a GPU kernel run on the CPU)`;
  }
  switch (s.cause) {
    case 'checking':
      return 'CPU engine: checking for WebGPU…';
    case 'requested':
      return 'CPU engine: chosen in the workbench';
    case 'software-only':
      return `CPU engine: the only WebGPU adapter is a software one (${s.adapter}), slower than the CPU engine; choose Engine: GPU to force it`;
    case 'gpu-failed':
      return `CPU engine: ${s.adapter} failed (${s.detail}); the runs finish on the CPU engine`;
    case 'gpu-unavailable':
      return `CPU engine: GPU forced, but ${s.base ? whyNoGpu(s.base) : 'no WebGPU engine could be had'}; staying on the CPU engine`;
    case 'selection-failed':
      return `CPU engine: engine selection failed (${s.detail})`;
    case 'no-kernel': {
      // A profile whose catalog entry says why it has no kernel (the DRA allocator's search) gets that reason too.
      const why = profileInfo(s.detail)?.engineNote;
      return `CPU engine: profile ${s.detail} has no GPU kernel${why ? `; ${why}` : ''}`;
    }
    default:
      return `CPU engine: ${whyNoGpu(s)}`;
  }
}

/** A few words (at most 24 characters) for the badge. */
const SHORT: Partial<Record<EngineStatus['cause'], string>> = {
  checking: 'checking for WebGPU…',
  'gpu-unavailable': 'GPU forced: unavailable',
  requested: 'chosen',
  'software-only': 'software WebGPU only',
  'no-webgpu': 'no WebGPU here',
  'no-adapter': 'no WebGPU adapter',
  'adapter-failed': 'WebGPU adapter failed',
  'device-failed': 'WebGPU device failed',
  'compile-failed': 'GPU kernels failed',
  'gpu-failed': 'GPU lost: on CPU',
  'selection-failed': 'selection failed',
  'no-kernel': 'no GPU kernel',
};

/** The badge: the engine and a short reason (a forced software adapter is named as such: its speed is not a GPU's). */
export function engineLine(s: EngineStatus): EngineLine {
  if (s.engine === 'gpu') {
    if (s.software && s.cause === 'requested') return { engine: 'WebGPU', short: 'software adapter, forced' };
    const name = s.adapter ?? 'unknown adapter';
    return { engine: 'WebGPU', short: name.length > 24 ? `${name.slice(0, 23)}…` : name };
  }
  return { engine: 'CPU engine', short: SHORT[s.cause] ?? s.cause };
}
