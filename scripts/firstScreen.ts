/**
 * What the first screen loads: the entry script of dist/index.html and the chunks it preloads, with their sizes
 * (raw and gzip) and the source modules their sourcemaps name. Fails (exit 1) when one of those modules comes
 * from outside the UI's side of the arrows (src/ui, src/scenario, src/core, src/worker/protocol.ts, packages):
 * scheduler and simulator code belongs in the worker chunk (docs/architecture.md, "Import rules").
 *
 *   npm run build && npx tsx scripts/firstScreen.ts [dist]
 *
 * test/e2e/firstScreen.test.ts runs the same check on the browser tests' build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** One file the first screen loads. */
export interface FirstScreenFile {
  /** Path under dist/. */
  file: string;
  rawBytes: number;
  /** gzip -9, as vite's report. */
  gzipBytes: number;
  /** Repository-relative source modules from the sourcemap (packages as `node_modules/<name>`). */
  modules: string[];
}

/** The first screen's files and the modules in them that break the arrows. */
export interface FirstScreenReport {
  files: FirstScreenFile[];
  offenders: { file: string; module: string }[];
}

/** Source modules the main thread may load on its first screen. */
const FIRST_SCREEN_OK = [/^src\/ui\//, /^src\/scenario\//, /^src\/core\//, /^src\/worker\/protocol\.ts$/, /^node_modules\//, /^index\.html$/];

/** Reads dist/index.html, the scripts and stylesheets it loads up front, and their sourcemaps. */
export function firstScreenReport(dist: string): FirstScreenReport {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="\.?\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const files: FirstScreenFile[] = [];
  const offenders: FirstScreenReport['offenders'] = [];
  for (const file of refs) {
    const bytes = readFileSync(join(dist, file));
    const mapPath = join(dist, `${file}.map`);
    const modules = existsSync(mapPath) ? (JSON.parse(readFileSync(mapPath, 'utf8')) as { sources: string[] }).sources.map(moduleName) : [];
    for (const module of modules) if (!FIRST_SCREEN_OK.some((re) => re.test(module))) offenders.push({ file, module });
    files.push({ file, rawBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length, modules });
  }
  return { files, offenders };
}

/** A sourcemap source as a repository-relative path (`../../src/ui/App.tsx` → `src/ui/App.tsx`). */
function moduleName(source: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (pkg) return `node_modules/${pkg[1]}`;
  const src = /(?:^|\/)(src\/.*)$/.exec(source);
  return src ? src[1] : source.replace(/^(\.\.\/)+/, '');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = resolve(process.argv[2] ?? 'dist');
  const r = firstScreenReport(dist);
  const kB = (n: number): string => (n / 1000).toFixed(2);
  for (const f of r.files) console.log(`${f.file}  ${kB(f.rawBytes)} kB  gzip ${kB(f.gzipBytes)} kB  (${f.modules.filter((m) => m.startsWith('src/')).length} modules of src/)`);
  const js = r.files.filter((f) => f.file.endsWith('.js'));
  console.log(`first-screen JavaScript: ${kB(js.reduce((s, f) => s + f.rawBytes, 0))} kB, gzip ${kB(js.reduce((s, f) => s + f.gzipBytes, 0))} kB`);
  for (const o of r.offenders) console.log(`NOT FIRST-SCREEN CODE: ${o.module} in ${o.file}`);
  process.exit(r.offenders.length > 0 ? 1 : 0);
}
