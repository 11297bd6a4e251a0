/**
 * Mounts the share and teach features into the app shell through its extension points (slots.ts): toolbar items
 * (undo/redo, Share, Export, gallery, claim, Present), the `#/gallery` route, and a start hook that restores a
 * shared link or the saved work. `?embed=1` gives a chrome-free view; `?present=1` starts presenter mode.
 * Imported once by main.tsx before the app renders.
 */
import { Show, type JSX } from 'solid-js';
import { Portal } from 'solid-js/web';
import { routes, startHooks, toolbarItems } from '../slots.ts';
import { pageFlags, shareCtx, startShare } from './controller.ts';
import { Gallery } from './Gallery.tsx';
import { ClaimChip, ExportMenu, ShareButton, UndoRedo } from './ShareTools.tsx';
import { PresentButton, PresenterBar, startPresenting } from '../present/Presenter.tsx';
import './share.css';

const flags = pageFlags();

function GalleryLink(): JSX.Element {
  return (
    <a class="button" href="#/gallery">
      Gallery
    </a>
  );
}

/** In an embed: a link that opens the same scenario in the full app. */
function EmbedLink(): JSX.Element {
  const href = (): string => {
    const q = new URLSearchParams(location.search);
    q.delete('embed');
    const qs = q.toString();
    return `${location.pathname}${qs ? `?${qs}` : ''}${shareCtx()?.ws.shareHash() ?? location.hash}`;
  };
  return (
    <Show when={flags.embed}>
      <Portal>
        <a class="sb-embed-link" href={href()} target="_blank" rel="noopener">
          Open in Slicebench ↗
        </a>
      </Portal>
    </Show>
  );
}

function onUndoKeys(e: KeyboardEvent): void {
  const c = shareCtx();
  if (!c || !(e.ctrlKey || e.metaKey) || e.altKey) return;
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return; // native undo in fields
  const key = e.key.toLowerCase();
  if (key === 'z' && !e.shiftKey) void c.undo();
  else if ((key === 'z' && e.shiftKey) || key === 'y') void c.redo();
  else return;
  e.preventDefault();
}

if (flags.embed) document.documentElement.classList.add('sb-embed');
toolbarItems.push(
  () => <UndoRedo />,
  () => <ShareButton />,
  () => <ExportMenu />,
  () => <GalleryLink />,
  () => <ClaimChip />,
  () => <PresentButton />,
  () => (
    <>
      <PresenterBar />
      <EmbedLink />
    </>
  ),
);
routes.set('gallery', () => <Gallery />);

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
startHooks.push(async (wb) => {
  await startShare(wb);
  window.addEventListener('keydown', onUndoKeys);
  if (flags.present) await startPresenting();
});
