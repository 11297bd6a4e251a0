/**
 * HAMi's node registration and pod allocation annotations (formats in kubeNames.ts), read and written. Readers
 * return a message instead of throwing, so the importer can name the object and field.
 */

/** One GPU as HAMi's device plugin registers it. */
export interface HamiDevice {
  uuid: string;
  /** deviceSplitCount: how many pods may share the card. */
  count: number;
  memMiB: number;
  cores: number;
  type: string;
  numa: number;
  healthy: boolean;
  /** Device index on the node (the 9-field form and JSON carry it; else the position). */
  index: number;
  mode: string;
}

/** One device booked for one container. */
export interface HamiAllocation {
  uuid: string;
  type: string;
  memMiB: number;
  cores: number;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function int(s: unknown): number {
  const n = typeof s === 'number' ? s : typeof s === 'string' && /^-?\d+$/.test(s.trim()) ? Number(s) : NaN;
  return Number.isInteger(n) ? n : NaN;
}

/** Parses `hami.io/node-nvidia-register` in either the colon-separated or the JSON form. */
export function parseHamiRegister(text: string): Parsed<HamiDevice[]> {
  const t = text.trim();
  if (t.startsWith('[')) {
    let raw: unknown;
    try {
      raw = JSON.parse(t);
    } catch (e) {
      return { ok: false, error: `not valid JSON (${(e as Error).message})` };
    }
    if (!Array.isArray(raw)) return { ok: false, error: 'must be a JSON array of devices' };
    const out: HamiDevice[] = [];
    for (let i = 0; i < raw.length; i++) {
      const d = raw[i] as Record<string, unknown>;
      const count = int(d?.count);
      const memMiB = int(d?.devmem);
      const cores = int(d?.devcore);
      if (typeof d?.id !== 'string' || !(count >= 0) || !(memMiB >= 0) || !(cores >= 0)) return { ok: false, error: `device ${i}: needs id, count, devmem and devcore` };
      const index = d.index === undefined ? i : int(d.index);
      out.push({ uuid: d.id, count, memMiB, cores, type: typeof d.type === 'string' ? d.type : '', numa: int(d.numa ?? 0) || 0, healthy: d.health !== false, index: index >= 0 ? index : i, mode: typeof d.mode === 'string' ? d.mode : 'hami-core' });
    }
    return { ok: true, value: out };
  }
  const out: HamiDevice[] = [];
  const entries = t.split(':').filter((e) => e.trim() !== '');
  for (let i = 0; i < entries.length; i++) {
    const f = entries[i].split(',');
    if (f.length !== 7 && f.length !== 9) return { ok: false, error: `device ${i}: expected 7 or 9 comma-separated fields, got ${f.length}` };
    const [uuid, countS, memS, coresS, type, numaS, healthS] = f;
    const count = int(countS);
    const memMiB = int(memS);
    const cores = int(coresS);
    const numa = int(numaS);
    if (!(count >= 0) || !(memMiB >= 0) || !(cores >= 0) || !(numa >= 0)) return { ok: false, error: `device ${i}: count, memory, cores and numa must be non-negative integers` };
    if (healthS !== 'true' && healthS !== 'false') return { ok: false, error: `device ${i}: health must be true or false, got "${healthS}"` };
    const index = f.length === 9 ? int(f[7]) : i;
    if (!(index >= 0)) return { ok: false, error: `device ${i}: index must be a non-negative integer` };
    out.push({ uuid, count, memMiB, cores, type, numa, healthy: healthS === 'true', index, mode: f.length === 9 ? f[8] : 'hami-core' });
  }
  return { ok: true, value: out };
}

/** Writes the 9-field registration (HAMi protocol.md) for the given devices. */
export function formatHamiRegister(devices: readonly HamiDevice[]): string {
  return devices.map((d) => `${d.uuid},${d.count},${d.memMiB},${d.cores},${d.type},${d.numa},${d.healthy},${d.index},${d.mode}:`).join('');
}

/** Writes the JSON registration (newer HAMi releases and Volcano vGPU's device plugin). */
export function formatJsonRegister(devices: readonly HamiDevice[]): string {
  return JSON.stringify(devices.map((d) => ({ id: d.uuid, index: d.index, count: d.count, devmem: d.memMiB, devcore: d.cores, type: d.type, numa: d.numa, mode: d.mode, health: d.healthy })));
}

/** Parses `hami.io/vgpu-devices-allocated`: one list of devices per container. */
export function parseHamiAllocation(text: string): Parsed<HamiAllocation[][]> {
  const containers = text.split(';');
  if (containers.length > 0 && containers[containers.length - 1].trim() === '') containers.pop();
  const out: HamiAllocation[][] = [];
  for (let c = 0; c < containers.length; c++) {
    const devs: HamiAllocation[] = [];
    for (const entry of containers[c].split(':')) {
      if (entry.trim() === '') continue;
      const f = entry.split(',');
      if (f.length !== 4) return { ok: false, error: `container ${c}: expected uuid,type,memory,cores per device, got "${entry}"` };
      const memMiB = int(f[2]);
      const cores = int(f[3]);
      if (!(memMiB >= 0) || !(cores >= 0)) return { ok: false, error: `container ${c}: memory and cores must be non-negative integers in "${entry}"` };
      devs.push({ uuid: f[0].trim(), type: f[1], memMiB, cores });
    }
    out.push(devs);
  }
  return { ok: true, value: out };
}

/** Writes an allocation annotation (one container per list). */
export function formatHamiAllocation(containers: readonly (readonly HamiAllocation[])[]): string {
  return containers.map((devs) => devs.map((d) => `${d.uuid},${d.type},${d.memMiB},${d.cores}:`).join('') + ';').join('');
}

/** The synthetic UUID the exporter gives GPU `index` of node `node` (stable, so a re-import maps it back). */
export function syntheticGpuUuid(node: string, index: number): string {
  return `GPU-${node}-${index}`;
}
