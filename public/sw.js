/*
 * Slicebench offline service worker: once the app has loaded, it keeps working without a network.
 * - install / new index.html: precache the page, every asset it references (and the assets those reference:
 *   workers through `new URL('…', import.meta.url)`, lazily loaded chunks through `import('./x-hash.js')` and
 *   Vite's preload lists, e.g. the openb importer), the preset manifest and presets; then drop cached assets
 *   that neither this build nor the one before it references. The build before stays cached so that a tab still
 *   running it (this worker takes over open tabs at once) can load its lazy chunks after a deploy removed them
 *   from the server (docs/deploy.md).
 * - navigations: network first (a new build is picked up at once), the cached page when offline.
 * - hashed assets: cache first (their names change with their content); other files: network first, cache fallback.
 * Works from any sub-path: everything is resolved against the worker's own scope. Registered by the app only in
 * production builds (src/ui/share/register.tsx).
 */
const CACHE = 'slicebench-v1';
const SCOPE = new URL(self.registration ? self.registration.scope : './', self.location.href);
const PAGE = new URL('./', SCOPE).href;
const ASSET_RE = /(?:src|href)="([^"]+\.(?:js|css|svg|png|wasm|json|wgsl))"/g;
const META_URL_RE = /new URL\(\s*[`'"]([^`'"]+\.(?:js|css|wasm|wgsl|json))[`'"]\s*,\s*import\.meta\.url\s*\)/g;
/** Sibling hashed files a chunk names: dynamic `import('./x-AbC123.js')` and Vite's `__vite__mapDeps` lists. */
const CHUNK_RE = /[`'"](\.\/[\w.-]+-[\w-]{6,}\.(?:js|css|wasm))[`'"]/g;
/** Cache key of the list of the current and the previous build's files. */
const BUILDS_KEY = new URL('./__slicebench-builds__', SCOPE).href;

async function precache(indexHtml) {
  const cache = await caches.open(CACHE);
  const keep = new Set([PAGE]);
  let html = indexHtml;
  if (html === undefined) {
    const res = await fetch(PAGE, { cache: 'no-store' });
    if (!res.ok) return;
    html = await res.clone().text();
    await cache.put(PAGE, res);
  }
  const queue = [...html.matchAll(ASSET_RE)].map((m) => new URL(m[1], PAGE).href);
  const seen = new Set();
  while (queue.length) {
    const url = queue.shift();
    if (seen.has(url) || new URL(url).origin !== SCOPE.origin) continue;
    seen.add(url);
    keep.add(url);
    let res = await cache.match(url);
    if (!res) {
      res = await fetch(url);
      if (!res.ok) continue;
      await cache.put(url, res.clone());
    }
    if (url.endsWith('.js')) {
      const text = await res.text();
      for (const m of text.matchAll(META_URL_RE)) queue.push(new URL(m[1], url).href);
      for (const m of text.matchAll(CHUNK_RE)) queue.push(new URL(m[1], url).href);
    }
  }
  // This build's files, and the previous build's (kept for tabs still running it).
  const files = [...keep].filter((u) => u !== PAGE).sort();
  const hit = await cache.match(BUILDS_KEY);
  const builds = hit ? await hit.json() : { current: [], previous: [] };
  if (builds.current.join('\n') !== files.join('\n')) {
    builds.previous = builds.current;
    builds.current = files;
    await cache.put(BUILDS_KEY, new Response(JSON.stringify(builds), { headers: { 'content-type': 'application/json' } }));
  }
  keep.add(BUILDS_KEY);
  for (const u of builds.previous) keep.add(u);
  // Presets: the manifest and every file it lists.
  try {
    const idxUrl = new URL('scenarios/index.json', PAGE).href;
    const res = await fetch(idxUrl, { cache: 'no-store' });
    if (res.ok) {
      await cache.put(idxUrl, res.clone());
      keep.add(idxUrl);
      const list = (await res.json()).presets || [];
      await Promise.all(
        list.map(async (p) => {
          const u = new URL(`scenarios/${p.file}`, PAGE).href;
          keep.add(u);
          const r = await fetch(u, { cache: 'no-store' });
          if (r.ok) await cache.put(u, r);
        }),
      );
    }
  } catch (e) {
    // Presets are fetched again on the next visit.
  }
  // Drop what neither this build nor the previous one references (older hashed assets, removed presets).
  for (const req of await cache.keys()) if (!keep.has(req.url) && !req.url.endsWith('/sw.js')) await cache.delete(req);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('slicebench-') && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

/** Tells a page whether everything is cached (the e2e test waits for it before going offline). */
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'slicebench:precache') {
    event.waitUntil(
      precache()
        .then(() => event.source && event.source.postMessage({ type: 'slicebench:precached', ok: true }))
        .catch((e) => event.source && event.source.postMessage({ type: 'slicebench:precached', ok: false, error: String(e) })),
    );
  }
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== SCOPE.origin || !url.href.startsWith(SCOPE.href)) return;
  if (req.mode === 'navigate') {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        try {
          const res = await fetch(req);
          if (res.ok && url.pathname === new URL(PAGE).pathname) {
            const html = await res.clone().text();
            const old = await cache.match(PAGE);
            if (!old || (await old.text()) !== html) {
              await cache.put(PAGE, res.clone());
              event.waitUntil(precache(html));
            }
          }
          return res;
        } catch (e) {
          return (await cache.match(PAGE)) || Response.error();
        }
      })(),
    );
    return;
  }
  const hashed = /\/assets\/[^/]+-[A-Za-z0-9_-]{6,}\.[a-z0-9]+$/.test(url.pathname);
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const key = url.origin + url.pathname;
      if (hashed) {
        const hit = await cache.match(key);
        if (hit) return hit;
      }
      try {
        const res = await fetch(req);
        if (res.ok && res.type === 'basic') await cache.put(key, res.clone());
        return res;
      } catch (e) {
        return (await cache.match(key)) || Response.error();
      }
    })(),
  );
});
