/**
 * Reading a snapshot: the text of `kubectl get nodes,pods -A -o json` (a `List`), its YAML form, or a
 * multi-document YAML stream, as a flat list of Kubernetes objects. Errors name the object and field.
 */
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as plain JSON. */
export type KubeObject = Record<string, unknown> & { kind?: unknown; apiVersion?: unknown; metadata?: unknown };

/** Bad input: every message names the object and field (`pods/default/x: spec.containers[0]...: ...`). */
export class KubeImportError extends Error {
  override name = 'KubeImportError';
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems:\n  ${problems.slice(0, 25).join('\n  ')}${problems.length > 25 ? `\n  ... and ${problems.length - 25} more` : ''}`);
  }
}

/** Plain object test. */
export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Lowercase plural of a kind, as kubectl names resources (`nodes`, `pods`, `podgroups`). */
export function resourceOf(kind: string): string {
  const k = kind.toLowerCase();
  return k.endsWith('s') ? `${k}es` : `${k}s`;
}

/** `pods/<ns>/<name>` or `nodes/<name>`: how messages name an object. */
export function refOf(o: KubeObject): string {
  const md = isObj(o.metadata) ? o.metadata : {};
  const kind = typeof o.kind === 'string' ? resourceOf(o.kind) : 'objects';
  const name = typeof md.name === 'string' ? md.name : '(unnamed)';
  return typeof md.namespace === 'string' ? `${kind}/${md.namespace}/${name}` : `${kind}/${name}`;
}

/** Flattens Lists (kubectl's `List` and typed `NodeList`, `PodList`...) into their items. */
function flatten(doc: unknown, where: string, out: KubeObject[]): void {
  if (!isObj(doc)) throw new KubeImportError([`${where}: not a Kubernetes object or List (expected an object with kind and apiVersion)`]);
  const kind = doc.kind;
  if (typeof kind === 'string' && kind.endsWith('List')) {
    if (!Array.isArray(doc.items)) throw new KubeImportError([`${where}: items: a ${kind} needs an items array`]);
    doc.items.forEach((it, i) => {
      if (!isObj(it) || typeof it.kind !== 'string') {
        // kubectl's typed lists (NodeList) drop each item's kind; put it back from the list's.
        if (isObj(it) && kind !== 'List') out.push({ ...it, kind: kind.slice(0, -4) });
        else throw new KubeImportError([`${where}: items[${i}]: not a Kubernetes object (no kind)`]);
      } else out.push(it);
    });
    return;
  }
  if (typeof kind !== 'string' || typeof doc.apiVersion !== 'string') throw new KubeImportError([`${where}: not a Kubernetes List or object (kind and apiVersion are required)`]);
  out.push(doc);
}

/** Parses snapshot text (JSON first, else YAML, many documents allowed) into objects. */
export function readSnapshot(text: string, file = 'snapshot'): KubeObject[] {
  const out: KubeObject[] = [];
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    let doc: unknown;
    try {
      doc = JSON.parse(t);
    } catch (e) {
      throw new KubeImportError([`${file}: invalid JSON: ${(e as Error).message}`]);
    }
    flatten(doc, file, out);
    return out;
  }
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new KubeImportError([`${file}: empty`]);
  docs.forEach((d, i) => {
    if (d.errors.length) throw new KubeImportError([`${file}: document ${i + 1}: invalid YAML: ${d.errors[0].message.split('\n')[0]}`]);
    const v: unknown = d.toJS();
    if (v === null || v === undefined) return;
    flatten(v, docs.length > 1 ? `${file}: document ${i + 1}` : file, out);
  });
  if (out.length === 0) throw new KubeImportError([`${file}: no Kubernetes objects`]);
  return out;
}
