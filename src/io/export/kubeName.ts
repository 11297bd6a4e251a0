/** Scenario names (any text) as Kubernetes object names (RFC 1123 labels), unique and stable. */

/** FNV-1a of a string, as 6 base-36 digits: a short, stable suffix. */
function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(6, '0').slice(-6);
}

/**
 * A DNS-1123 label for `name` of at most `max` characters: lowercase letters, digits and `-`. A name that had to
 * change gets a hash of the original, so two scenario names never collapse into one object name.
 */
export function dnsLabel(name: string, max = 63): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '');
  if (clean === name && clean.length <= max && clean !== '') return clean;
  const h = shortHash(name);
  return `${clean.slice(0, max - 7).replace(/-+$/, '') || 'x'}-${h}`;
}

/** A valid label value (≤ 63 of `[A-Za-z0-9._-]`, alphanumeric at both ends), or undefined when `v` is not one. */
export function asLabelValue(v: string): string | undefined {
  return v === '' || (/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(v) && v.length <= 63) ? v : undefined;
}

/** Whether `k` is a valid annotation or label key (optional DNS prefix `/`, name of ≤ 63 characters). */
export function isQualifiedKey(k: string): boolean {
  const parts = k.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (!/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(name)) return false;
  return parts.length === 1 || (/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(parts[0]) && parts[0].length <= 253);
}
