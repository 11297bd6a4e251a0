/**
 * A small JSON Patch (RFC 6902) for story steps and preset variants: `add`, `remove`, `replace` and `test`
 * with JSON Pointers (RFC 6901, `~0` = `~`, `~1` = `/`, `-` = end of an array for `add`). The input is never
 * modified: the patched document is a copy. Errors name the operation and its path instead of throwing.
 */

/** One patch operation. */
export type PatchOp =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'test'; path: string; value: unknown };

export type PatchResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Splits a JSON Pointer into unescaped tokens (`""` is the whole document). */
export function parsePointer(pointer: string): string[] | null {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return null;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Applies the operations in order to a copy of `doc`. */
export function applyPatch<T>(doc: T, ops: readonly PatchOp[]): PatchResult<T> {
  let root: unknown = structuredClone(doc);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const where = `patch[${i}] ${op?.op} ${op?.path}`;
    if (!op || typeof op !== 'object' || typeof op.path !== 'string') return { ok: false, error: `patch[${i}]: not an operation` };
    const tokens = parsePointer(op.path);
    if (!tokens) return { ok: false, error: `${where}: a path must start with "/"` };
    if (tokens.length === 0) {
      if (op.op === 'add' || op.op === 'replace') {
        root = structuredClone(op.value);
        continue;
      }
      if (op.op === 'test') {
        if (JSON.stringify(root) !== JSON.stringify(op.value)) return { ok: false, error: `${where}: test failed` };
        continue;
      }
      return { ok: false, error: `${where}: cannot remove the whole document` };
    }
    let parent: unknown = root;
    for (const t of tokens.slice(0, -1)) {
      parent = child(parent, t);
      if (parent === undefined) return { ok: false, error: `${where}: no such path` };
    }
    const last = tokens[tokens.length - 1];
    if (typeof parent !== 'object' || parent === null) return { ok: false, error: `${where}: parent is not an object or array` };
    if (Array.isArray(parent)) {
      const n = parent.length;
      const idx = last === '-' ? n : /^(0|[1-9]\d*)$/.test(last) ? Number(last) : -1;
      if (idx < 0) return { ok: false, error: `${where}: bad array index "${last}"` };
      switch (op.op) {
        case 'add':
          if (idx > n) return { ok: false, error: `${where}: index out of range` };
          parent.splice(idx, 0, structuredClone(op.value));
          break;
        case 'replace':
          if (idx >= n) return { ok: false, error: `${where}: index out of range` };
          parent[idx] = structuredClone(op.value);
          break;
        case 'remove':
          if (idx >= n) return { ok: false, error: `${where}: index out of range` };
          parent.splice(idx, 1);
          break;
        case 'test':
          if (idx >= n || JSON.stringify(parent[idx]) !== JSON.stringify(op.value)) return { ok: false, error: `${where}: test failed` };
          break;
        default:
          return { ok: false, error: `patch[${i}]: unsupported op "${(op as { op: unknown }).op}"` };
      }
    } else {
      const obj = parent as Record<string, unknown>;
      const has = Object.prototype.hasOwnProperty.call(obj, last);
      switch (op.op) {
        case 'add':
          obj[last] = structuredClone(op.value);
          break;
        case 'replace':
          if (!has) return { ok: false, error: `${where}: no such member` };
          obj[last] = structuredClone(op.value);
          break;
        case 'remove':
          if (!has) return { ok: false, error: `${where}: no such member` };
          delete obj[last];
          break;
        case 'test':
          if (!has || JSON.stringify(obj[last]) !== JSON.stringify(op.value)) return { ok: false, error: `${where}: test failed` };
          break;
        default:
          return { ok: false, error: `patch[${i}]: unsupported op "${(op as { op: unknown }).op}"` };
      }
    }
  }
  return { ok: true, value: root as T };
}

function child(v: unknown, token: string): unknown {
  if (Array.isArray(v)) return /^(0|[1-9]\d*)$/.test(token) ? v[Number(token)] : undefined;
  if (typeof v === 'object' && v !== null && Object.prototype.hasOwnProperty.call(v, token)) return (v as Record<string, unknown>)[token];
  return undefined;
}
