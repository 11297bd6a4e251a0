/** Number and time formatting for the workbench (plain functions, no DOM). */

/** Simulated time as `d h:mm:ss` (days only when ≥ 1 day). */
export function formatSimTime(tS: number): string {
  const t = Math.max(0, Math.floor(tS));
  const d = Math.floor(t / 86400);
  const h = Math.floor((t % 86400) / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  const hms = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return d > 0 ? `${d}d ${hms}` : hms;
}

/** A duration in the largest sensible unit: `45 s`, `12.5 min`, `3.2 h`. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '—';
  if (s < 120) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** A number with fixed digits; negative sentinel values (−1 = not computed / saturated) become `—`. */
export function fmt(v: number, digits = 1): string {
  return v < 0 || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

/** MiB as GiB with one decimal. */
export function gib(miB: number): string {
  return `${(miB / 1024).toFixed(miB % 1024 === 0 ? 0 : 1)} GiB`;
}
