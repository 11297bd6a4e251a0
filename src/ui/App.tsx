/**
 * The app shell: the toolbar, the editors (cluster, workloads, schedulers), the runs side by side with playback,
 * the comparison and summaries, the charts, the why-here panel, the help overlay; `#/gallery` replaces the body
 * with the presets gallery. Opens the first scenario (share/controller.ts openFirst) and, with `?present=1`,
 * presenter mode. Keys: playback shortcuts (not in text fields and tab lists, which use the keys themselves),
 * ←/→/Home/End between the editor tabs, and Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y for undo and redo. A skip link leads to
 * the run controls. The theme follows the system until toggled; the toggle is remembered.
 */
import { createEffect, createSignal, For, Index, lazy, Match, onCleanup, onMount, Show, Suspense, Switch, type JSX } from 'solid-js';
import { ChartsPanel } from './components/ChartsPanel.tsx';
import { ClusterSketcher } from './components/ClusterSketcher.tsx';
import { CompareCallouts } from './components/CompareCallouts.tsx';
import { ErrorBanner } from './components/ErrorBanner.tsx';
import { OpenNoticeBanner } from './components/OpenNoticeBanner.tsx';
import { GettingStarted } from './components/GettingStarted.tsx';
import { EventLog } from './components/EventLog.tsx';
import { HelpOverlay } from './components/HelpOverlay.tsx';
import { LongRunProgress } from './components/LongRunProgress.tsx';
import { OpenbImportDialog } from './components/OpenbImportDialog.tsx';
import { Legend } from './components/Legend.tsx';
import { PlaybackBar } from './components/PlaybackBar.tsx';
import { RunPanel } from './components/RunPanel.tsx';
import { SchedulerPicker } from './components/SchedulerPicker.tsx';
import { SummaryCard } from './components/SummaryCard.tsx';
import { Toolbar } from './components/Toolbar.tsx';
import { WhyHerePanel } from './components/WhyHerePanel.tsx';
import { WorkloadSketcher } from './components/WorkloadSketcher.tsx';
import { startPresenting, PresenterBar } from './present/Presenter.tsx';
import { openFirst, pageFlags, safeLocalStorage } from './share/controller.ts';
import { Gallery } from './share/Gallery.tsx';
import { EmbedLink } from './share/ShareTools.tsx';
import { SPEEDS, type Problem, type Workbench } from './stores/workbench.ts';
import { scenarioGist } from './lib/scenarioGist.ts';
import { engineSentence } from './lib/engineLine.ts';
import { initialTheme, rememberTheme, storedTheme, type Theme } from './lib/theme.ts';
import { followOpens, mode } from './plan/planMode.ts';
import { ModeSwitch } from './plan/ModeSwitch.tsx';

// The planner (d3 charts, the pure planner module, the worker pool) loads when Plan mode first opens.
const PlanView = lazy(() => import('./plan/PlanView.tsx').then((m) => ({ default: m.PlanView })));

type Tab = 'cluster' | 'workloads' | 'schedulers';
const TABS: { id: Tab; label: string }[] = [
  { id: 'cluster', label: 'Cluster' },
  { id: 'workloads', label: 'Workloads' },
  { id: 'schedulers', label: 'Schedulers' },
];

/** True when a key event comes from a control that uses the keys itself (text fields, spinbuttons, tab lists). */
function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t || typeof t.closest !== 'function') return false;
  const tag = t.tagName;
  return tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || t.isContentEditable || t.getAttribute('role') === 'spinbutton' || !!t.closest('[role="tablist"]');
}

/** The tab an arrow, Home or End key on the editor tabs moves to (wrapping at the ends), or null for other keys. */
function tabKey(key: string, at: number): number | null {
  if (key === 'ArrowRight') return (at + 1) % TABS.length;
  if (key === 'ArrowLeft') return (at - 1 + TABS.length) % TABS.length;
  if (key === 'Home') return 0;
  if (key === 'End') return TABS.length - 1;
  return null;
}

/** Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo; text fields keep their own undo. Returns true when handled. */
function undoKeys(e: KeyboardEvent, wb: Workbench): boolean {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return false;
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return false;
  const key = e.key.toLowerCase();
  if (key === 'z' && !e.shiftKey) void wb.undo();
  else if ((key === 'z' && e.shiftKey) || key === 'y') void wb.redo();
  else return false;
  e.preventDefault();
  return true;
}

/** The workbench. */
export function App(props: { wb: Workbench }): JSX.Element {
  const wb = props.wb;
  const [tab, setTab] = createSignal<Tab>('cluster');
  const [help, setHelp] = createSignal(false);
  // A broken link opened over saved work (share/controller.ts openFirst): nothing runs until the user chooses, so
  // the run area shows the question and what will load instead of "Loading…". The question is remembered, so a
  // banner dismissed without choosing still leaves the choice here.
  const [asked, setAsked] = createSignal<Problem | null>(null);
  createEffect(() => {
    const e = wb.errors();
    if (e?.question && e.actions?.length && !wb.layout()) setAsked(e);
  });
  const waiting = (): Problem | null => (wb.layout() ? null : asked());
  const storage = safeLocalStorage();
  const systemLight = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: light)') : null;
  const [theme, setTheme] = createSignal<Theme>(initialTheme(storage, systemLight?.matches ?? false));
  const toggleTheme = (): void => {
    const next = theme() === 'dark' ? 'light' : 'dark';
    setTheme(next);
    rememberTheme(storage, next);
  };
  const onTabKey = (e: KeyboardEvent): void => {
    const to = tabKey(e.key, TABS.findIndex((t) => t.id === tab()));
    if (to === null) return;
    e.preventDefault();
    setTab(TABS[to].id);
    document.getElementById(`tab-${TABS[to].id}`)?.focus();
  };
  const [route, setRoute] = createSignal(location.hash.replace(/^#\/?/, ''));

  const onKey = (e: KeyboardEvent): void => {
    if (undoKeys(e, wb)) return;
    if (e.key === 'Escape') {
      if (help()) setHelp(false);
      else wb.select(null);
      return;
    }
    if (help() || e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
    // Plan mode has no playback: only the help key.
    if (mode() === 'plan' && e.key !== '?') return;
    const speeds = SPEEDS as readonly number[];
    const i = speeds.indexOf(wb.speed());
    switch (e.key) {
      case ' ':
        if ((e.target as HTMLElement).tagName === 'BUTTON') return;
        wb.toggle();
        break;
      case 'ArrowRight':
        void wb.step();
        break;
      case 'ArrowLeft': {
        const f = wb.frame();
        const L = wb.layout();
        if (f && L) void wb.seek(Math.max(0, f.tS - L.metricsStepS));
        break;
      }
      case 'ArrowUp':
        wb.setSpeed(speeds[Math.min(speeds.length - 1, i + 1)]);
        break;
      case 'ArrowDown':
        wb.setSpeed(speeds[Math.max(0, i - 1)]);
        break;
      case 'Home':
        void wb.seek(0);
        break;
      case 'End':
        void wb.runToEnd();
        break;
      case '?':
        setHelp(true);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  onMount(() => {
    window.addEventListener('keydown', onKey);
    const onHash = (): void => void setRoute(location.hash.replace(/^#\/?/, ''));
    window.addEventListener('hashchange', onHash);
    // The system's theme, followed live until the visitor toggles.
    const onSystemTheme = (): void => {
      if (!storedTheme(storage)) setTheme(systemLight?.matches ? 'light' : 'dark');
    };
    systemLight?.addEventListener('change', onSystemTheme);
    const stopFollowing = followOpens(wb.ws);
    onCleanup(() => {
      stopFollowing();
      systemLight?.removeEventListener('change', onSystemTheme);
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('hashchange', onHash);
    });
    void (async () => {
      await openFirst(wb);
      if (pageFlags().present) await startPresenting();
    })();
  });

  const runs = () => wb.layout()?.runs.length ?? 0;
  const viewHeight = () => (runs() > 2 ? 230 : runs() === 2 ? 300 : 360);

  return (
    <div class="app" classList={{ light: theme() === 'light' }}>
      <a
        class="skip-link"
        href="#run-controls"
        onClick={(e) => {
          // The hash routes the app (#/gallery) and carries share links: move the focus without touching it.
          e.preventDefault();
          const bar = document.getElementById('run-controls');
          bar?.scrollIntoView({ block: 'nearest' });
          bar?.focus();
        }}
      >
        Skip to the run controls
      </a>
      <Toolbar wb={wb} modeSwitch={<ModeSwitch onPlan={() => wb.pause()} />} theme={theme()} onTheme={toggleTheme} onHelp={() => setHelp(true)} />
      <PresenterBar />
      <EmbedLink />
      <ErrorBanner wb={wb} />
      <OpenNoticeBanner wb={wb} />
      <Switch
        fallback={
          <>
          <GettingStarted onTab={(t) => {
            setTab(t);
            document.getElementById(`tab-${t}`)?.focus();
          }} />
          <div class="body">
            <aside class="editors" aria-label="Editors">
              <div role="tablist" aria-label="Editors" class="tabs" onKeyDown={onTabKey}>
                <For each={TABS}>
                  {(t) => (
                    <button type="button" role="tab" id={`tab-${t.id}`} aria-selected={tab() === t.id} aria-controls={`panel-${t.id}`} tabindex={tab() === t.id ? 0 : -1} onClick={() => setTab(t.id)}>
                      {t.label}
                    </button>
                  )}
                </For>
              </div>
              <div role="tabpanel" id={`panel-${tab()}`} aria-labelledby={`tab-${tab()}`} class="tabpanel">
                <Switch>
                  <Match when={tab() === 'cluster'}>
                    <ClusterSketcher wb={wb} />
                  </Match>
                  <Match when={tab() === 'workloads'}>
                    <WorkloadSketcher wb={wb} />
                  </Match>
                  <Match when={tab() === 'schedulers'}>
                    <SchedulerPicker wb={wb} />
                  </Match>
                </Switch>
              </div>
            </aside>
            <main class="stage">
              <div class="scenario-title">
                <Show
                  when={waiting()}
                  fallback={
                    <>
                      <h2>{wb.layout()?.scenarioName ?? 'Loading…'}</h2>
                      <p class="hint">{wb.scenario.description}</p>
                    </>
                  }
                >
                  {(q) => (
                    <section class="waiting-choice" aria-label="Waiting for your choice">
                      <h2>Nothing is running yet</h2>
                      <p>{q().question}</p>
                      <p class="hint">What will load: {scenarioGist(wb.scenario)}.</p>
                      {/* The banner offers the choice while it shows it; once dismissed, the choice is offered here. */}
                      <Show when={!wb.errors()}>
                        <For each={q().actions ?? []}>
                          {(a) => (
                            <button type="button" onClick={() => void a.run()}>
                              {a.label}
                            </button>
                          )}
                        </For>
                      </Show>
                    </section>
                  )}
                </Show>
              </div>
              <PlaybackBar wb={wb} />
              <Legend />
              <div class="runs" classList={{ two: runs() === 2, many: runs() > 2 }}>
                <Index each={wb.layout()?.runs ?? []}>{(_, i) => <RunPanel wb={wb} run={i} viewHeight={viewHeight()} />}</Index>
              </div>
              <EventLog wb={wb} />
              <CompareCallouts wb={wb} />
              <div class="summaries">
                <Index each={wb.layout()?.runs ?? []}>{(_, i) => <SummaryCard wb={wb} run={i} />}</Index>
              </div>
              <ChartsPanel wb={wb} />
            </main>
            <WhyHerePanel wb={wb} />
          </div>
          </>
        }
      >
        <Match when={route() === 'gallery'}>
          <Gallery />
        </Match>
        <Match when={mode() === 'plan'}>
          <Suspense fallback={<p class="hint plan-loading">Loading the planner…</p>}>
            <PlanView wb={wb} />
          </Suspense>
        </Match>
      </Switch>
      <HelpOverlay open={help()} onClose={() => setHelp(false)} engine={engineSentence(wb.engine())} />
      <OpenbImportDialog wb={wb} />
      <LongRunProgress wb={wb} />
    </div>
  );
}
