/** Messages between the app and the cluster-import worker (src/worker/kubeImportWorker.ts). */
import type { Scenario } from '../../scenario/types.ts';
import type { ImportReport } from './report.ts';

/** App → worker: the snapshot's text and file name. */
export interface KubeImportRequest {
  text: string;
  file: string;
}

/** Worker → app: progress (0..1), then the scenario and report, or the problems found. */
export type KubeImportReply =
  | { type: 'progress'; fraction: number }
  | { type: 'done'; scenario: Scenario; report: ImportReport }
  | { type: 'error'; problems: string[] };
