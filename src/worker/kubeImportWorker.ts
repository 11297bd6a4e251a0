/**
 * The cluster-snapshot import off the main thread: a 50 MB snapshot parses and converts here while the page
 * stays responsive, reporting progress. One request per worker; the app terminates it to cancel.
 */
import type { KubeImportReply, KubeImportRequest } from '../io/kube/importMessages.ts';
import { importKubeSnapshot } from '../io/kube/importSnapshot.ts';
import { KubeImportError } from '../io/kube/snapshot.ts';

const post = (m: KubeImportReply): void => self.postMessage(m);

self.onmessage = (e: MessageEvent<KubeImportRequest>) => {
  try {
    post({ type: 'progress', fraction: 0 });
    const { scenario, report } = importKubeSnapshot(e.data.text, { file: e.data.file, onProgress: (fraction) => post({ type: 'progress', fraction }) });
    post({ type: 'done', scenario, report });
  } catch (err) {
    post({ type: 'error', problems: err instanceof KubeImportError ? err.problems : [`${e.data.file}: ${(err as Error).message}`] });
  }
};
