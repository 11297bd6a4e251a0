/**
 * Entry point: starts the simulation worker, creates the workspace (the one owner of the scenario, with its
 * autosave), the workbench store around both and the share context, registers the offline service worker, and
 * renders the app.
 */
import { createRoot } from 'solid-js';
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import { initialEngineChoice, rememberEngineChoice } from './lib/engineChoice.ts';
import { createShare, pageFlags, safeLocalStorage } from './share/controller.ts';
import { createWorkbench } from './stores/workbench.ts';
import { startWorker } from './stores/workerClient.ts';
import { Workspace } from './stores/workspace.ts';
import './styles.css';
import './share/share.css';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
const flags = pageFlags();
if (flags.embed) document.documentElement.classList.add('sb-embed');
const storage = safeLocalStorage();
// An embed never writes the visitor's saved work.
const ws = new Workspace({ storage: flags.embed ? null : storage });
const wb = createRoot(() => {
  const store = createWorkbench(startWorker(), ws, {
    engineChoice: initialEngineChoice(location.search, storage).choice,
    rememberEngineChoice: (c) => rememberEngineChoice(storage, c),
  });
  createShare(store);
  return store;
});
render(() => <App wb={wb} />, root);

// Offline: the service worker (public/sw.js) caches the built app; only in built bundles, where the assets are
// hashed files next to index.html. The dev server (import.meta.hot set) serves sources and must not be cached.
// (Not import.meta.env.PROD: a build run from the test harness inherits NODE_ENV=test, which turns PROD off.)
if (!import.meta.hot && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register(new URL('sw.js', document.baseURI)).catch(() => {
      // No offline support (e.g. a file:// page or a browser policy); the app works online as before.
    });
  });
}
