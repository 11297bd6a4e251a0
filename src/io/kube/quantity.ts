/**
 * Kubernetes resource quantities (`500m`, `2`, `64Gi`, `1e3`, `128974848`) as numbers, after
 * k8s.io/apimachinery/pkg/api/resource: decimal suffixes n u m k M G T P E, binary Ki Mi Gi Ti Pi Ei, exponents.
 */
import { pow10, pow2 } from '../../core/detMath.ts';

const SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: pow2(10), Mi: pow2(20), Gi: pow2(30), Ti: pow2(40), Pi: pow2(50), Ei: pow2(60),
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** A quantity in base units (cores, bytes, counts), or NaN when the text is not a quantity. */
export function parseQuantity(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v !== 'string') return NaN;
  const m = QUANTITY.exec(v.trim());
  if (!m) return NaN;
  const base = Number(m[1]);
  if (m[2]) return base * pow10(Number(m[2].slice(1)));
  return base * SUFFIX[m[3] ?? ''];
}

/** CPU quantity in milli-CPU (rounded up, as the kubelet does). */
export function cpuMilliOf(v: unknown): number {
  const x = parseQuantity(v);
  return Number.isNaN(x) ? NaN : Math.ceil(x * 1000 - 1e-9);
}

/** Memory quantity in MiB (rounded down: allocatable is a ceiling). */
export function memMiBOf(v: unknown): number {
  const x = parseQuantity(v);
  return Number.isNaN(x) ? NaN : Math.floor(x / pow2(20) + 1e-9);
}

/** A memory amount as the exporter writes it: `<n>Mi`. */
export function formatMiB(memMiB: number): string {
  return `${memMiB}Mi`;
}

/** A CPU amount as the exporter writes it: whole cores plain, otherwise `<n>m`. */
export function formatCpuMilli(cpuMilli: number): string {
  return cpuMilli % 1000 === 0 ? String(cpuMilli / 1000) : `${cpuMilli}m`;
}
