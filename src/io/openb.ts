/**
 * Importer for the Alibaba openb trace (cluster-trace-gpu-v2023, used by the FGD paper, USENIX ATC'23):
 * the node list `sn,cpu_milli,memory_mib,gpu,model` and the pod lists (11 columns
 * `name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time`,
 * or the 5-column `multigpu*` variant `name,cpu_milli,memory_mib,num_gpu,gpu_milli`). Column meanings:
 * ../shared/data/openb/README.md. Works on strings only (no fs), so the browser and Node share it.
 * Every malformed row is reported with its 1-based line number and column name.
 */
import type { OpenbNode } from '../model/openbTrace.ts';
import { GPU_CATALOG } from '../scenario/gpuCatalog.ts';
import { quoteInput } from '../core/quoteInput.ts';
import type { TracePod, TraceWorkload } from '../scenario/types.ts';

/** A malformed trace file: the message names the line and column. */
export class OpenbParseError extends Error {
  override name = 'OpenbParseError';
}

const NODE_COLUMNS = ['sn', 'cpu_milli', 'memory_mib', 'gpu', 'model'] as const;
const POD_COLUMNS = ['name', 'cpu_milli', 'memory_mib', 'num_gpu', 'gpu_milli', 'gpu_spec', 'qos', 'pod_phase', 'creation_time', 'deletion_time', 'scheduled_time'] as const;
const POD_COLUMNS_SHORT = POD_COLUMNS.slice(0, 5);
// The scenario format's ranges (scenario/validate.ts: pools and trace pods), so an import that parses also
// validates, and a bad value is reported by CSV line, not by JSON path.
const MAX_CPU_MILLI = 100_000_000;
const MAX_MEM_MIB = 1_000_000_000;

/** Splits text into non-empty lines with their 1-based line numbers (CRLF tolerated). */
function lines(text: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i].endsWith('\r') ? raw[i].slice(0, -1) : raw[i];
    if (l.trim() === '') continue;
    out.push({ line: i + 1, cells: l.split(',') });
  }
  return out;
}

function checkHeader(header: { line: number; cells: string[] } | undefined, expected: readonly (readonly string[])[], what: string): readonly string[] {
  if (!header) throw new OpenbParseError(`${what}: empty file (expected header ${expected[0].join(',')})`);
  const got = header.cells.map((c) => c.trim());
  for (const cols of expected) if (got.length === cols.length && cols.every((c, i) => c === got[i])) return cols;
  throw new OpenbParseError(`line ${header.line}: ${what} header must be ${expected.map((c) => `"${c.join(',')}"`).join(' or ')}, got ${quoteInput(header.cells.join(','))}`);
}

function intCell(value: string, line: number, column: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = value.trim();
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new OpenbParseError(`line ${line}: ${column}: must be an integer ${range}, got ${quoteInput(value)}`);
  }
  return Number(v);
}

/** Parses the node list CSV. */
export function parseOpenbNodes(text: string): OpenbNode[] {
  const rows = lines(text);
  checkHeader(rows[0], [NODE_COLUMNS], 'node list');
  const out: OpenbNode[] = [];
  const seen = new Set<string>();
  for (const { line, cells } of rows.slice(1)) {
    if (cells.length !== NODE_COLUMNS.length) throw new OpenbParseError(`line ${line}: expected ${NODE_COLUMNS.length} columns (${NODE_COLUMNS.join(',')}), got ${cells.length}`);
    const sn = cells[0].trim();
    if (sn === '') throw new OpenbParseError(`line ${line}: sn: must not be empty`);
    if (seen.has(sn)) throw new OpenbParseError(`line ${line}: sn: duplicate node ${quoteInput(sn)}`);
    seen.add(sn);
    const gpus = intCell(cells[3], line, 'gpu', 0, 64);
    const model = cells[4].trim();
    if (gpus > 0 && model === '') throw new OpenbParseError(`line ${line}: model: must name the GPU model of a node with ${gpus} GPUs`);
    // Own keys only: a model named "toString" must not find Object.prototype's.
    if (gpus > 0 && !Object.hasOwn(GPU_CATALOG, model)) throw new OpenbParseError(`line ${line}: model: unknown GPU model ${quoteInput(model)} (known: ${Object.keys(GPU_CATALOG).join(', ')})`);
    out.push({ sn, cpuMilli: intCell(cells[1], line, 'cpu_milli', 1, MAX_CPU_MILLI), memMiB: intCell(cells[2], line, 'memory_mib', 1, MAX_MEM_MIB), gpus, model: gpus > 0 ? model : '' });
  }
  return out;
}

/** Parses a pod list CSV (11-column or the 5-column multigpu variant). Pods without times arrive at 0. */
export function parseOpenbPods(text: string): TracePod[] {
  const rows = lines(text);
  const cols = checkHeader(rows[0], [POD_COLUMNS, POD_COLUMNS_SHORT], 'pod list');
  const out: TracePod[] = [];
  for (const { line, cells } of rows.slice(1)) {
    if (cells.length !== cols.length) throw new OpenbParseError(`line ${line}: expected ${cols.length} columns (${cols.join(',')}), got ${cells.length}`);
    const name = cells[0].trim();
    if (name === '') throw new OpenbParseError(`line ${line}: name: must not be empty`);
    const numGpu = intCell(cells[3], line, 'num_gpu', 0, 64);
    const gpuMilli = intCell(cells[4], line, 'gpu_milli', 0, 1000);
    if (numGpu === 0 && gpuMilli !== 0) throw new OpenbParseError(`line ${line}: gpu_milli: must be 0 when num_gpu is 0, got ${quoteInput(cells[4])}`);
    if (numGpu > 0 && gpuMilli === 0) throw new OpenbParseError(`line ${line}: gpu_milli: must be 1..1000 when num_gpu is ${numGpu}, got ${quoteInput(cells[4])}`);
    if (numGpu > 1 && gpuMilli !== 1000) throw new OpenbParseError(`line ${line}: gpu_milli: must be 1000 when num_gpu > 1 (only single-GPU pods share), got ${quoteInput(cells[4])}`);
    const pod: TracePod = { name, cpuMilli: intCell(cells[1], line, 'cpu_milli', 0, MAX_CPU_MILLI), memMiB: intCell(cells[2], line, 'memory_mib', 0, MAX_MEM_MIB), numGpu, gpuMilli, creationS: 0 };
    if (cols.length === POD_COLUMNS.length) {
      const spec = cells[5].trim();
      if (spec !== '') {
        const models = spec.split('|').map((m) => m.trim());
        if (models.some((m) => m === '')) throw new OpenbParseError(`line ${line}: gpu_spec: empty model in ${quoteInput(spec)}`);
        // Kept as written (duplicates included): the artifact groups typical pods by the raw gpu_spec string.
        pod.gpuSpec = models;
      }
      const qos = cells[6].trim();
      if (qos !== '') pod.qos = qos;
      pod.creationS = intCell(cells[8], line, 'creation_time', 0);
      if (cells[9].trim() !== '') pod.deletionS = intCell(cells[9], line, 'deletion_time', pod.creationS);
    }
    out.push(pod);
  }
  return out;
}

/** A trace workload of parsed pods (arrivals at creation_time, departures at deletion_time). */
export function openbTraceWorkload(pods: TracePod[], name = 'openb'): TraceWorkload {
  return { kind: 'trace', name, pods };
}
