/** Entry point: starts the simulation worker, creates the store, renders the app. */
import { createRoot } from 'solid-js';
import { render } from 'solid-js/web';
import { App } from './App.tsx';
import { initialEngineChoice, rememberEngineChoice, type ChoiceStorage } from './lib/engineChoice.ts';
import { createWorkbench } from './stores/workbench.ts';
import { startWorker } from './stores/workerClient.ts';
import './styles.css';
// Share & teach (issue 7): links, autosave/undo, gallery, presenter, exports — registers into slots.ts.
import './share/register.tsx';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
const storage = ((): ChoiceStorage | null => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
})();
const wb = createRoot(() =>
  createWorkbench(startWorker(), {
    engineChoice: initialEngineChoice(location.search, storage).choice,
    rememberEngineChoice: (c) => rememberEngineChoice(storage, c),
  }),
);
render(() => <App wb={wb} />, root);
