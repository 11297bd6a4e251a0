/**
 * The scheduler's one answer to "does it fit, and if not, why": a Status shaped like kube-scheduler's
 * (pkg/scheduler/framework/interface.go: a code, the reasons, the name of the plugin that failed). Filter
 * plugins, device allocators, HAMi's Fit and Volcano's predicates return it; the words are rendered only at the
 * edges (the FailedScheduling message in sched/reasons.ts, `place --explain`, the UI). As in kube, a plugin says
 * Success by returning `null` (kube's nil *Status), so the hot filter loops allocate nothing for a node that fits.
 */

/**
 * kube's status codes that this simulator produces: Unschedulable (this node does not fit now; preemption or
 * freed resources may change that), UnschedulableAndUnresolvable (no change on the node will make it fit, e.g.
 * a node selector), Error (a plugin or its input is broken; the attempt stops), Skip (a plugin has nothing to
 * say about this pod, e.g. BalancedAllocation's PreScore for a pod that requests nothing).
 */
export type StatusCode = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error' | 'Skip';

/** Why a pod does not fit a node (or why an attempt failed): the code, the reasons, the plugin that said so. */
export interface Status {
  readonly code: StatusCode;
  /** Reasons as kube's FailedScheduling message counts them per node (`Insufficient cpu`, ...). */
  readonly reasons: readonly string[];
  /** The failing plugin (kube's Status.Plugin / FailedPlugin). */
  readonly plugin: string;
}

/** Largest score a plugin may give a node after normalize (kube framework.MaxNodeScore). */
export const MAX_NODE_SCORE = 100;
/** Smallest score a plugin may give a node after normalize (kube framework.MinNodeScore). */
export const MIN_NODE_SCORE = 0;

/** An Unschedulable status from `plugin` with `reasons`. */
export function unschedulable(plugin: string, ...reasons: string[]): Status {
  return { code: 'Unschedulable', reasons, plugin };
}

/** An UnschedulableAndUnresolvable status from `plugin` with `reasons`. */
export function unresolvable(plugin: string, ...reasons: string[]): Status {
  return { code: 'UnschedulableAndUnresolvable', reasons, plugin };
}

/** An Error status from `plugin`; `message` is the one reason. */
export function errorStatus(plugin: string, message: string): Status {
  return { code: 'Error', reasons: [message], plugin };
}

/** A Skip status from `plugin`. */
export function skipStatus(plugin: string): Status {
  return { code: 'Skip', reasons: [], plugin };
}

/** True for a Success status, and for `null` (kube's nil status means Success). */
export function isSuccess(s: Status | null | undefined): boolean {
  return s === null || s === undefined || s.code === 'Success';
}

/** True when a status rules the node out (Unschedulable or UnschedulableAndUnresolvable), as kube's IsRejected. */
export function isRejected(s: Status | null | undefined): boolean {
  return !!s && (s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable');
}

/** True for a value that is a Status (for results typed `T | Status`). */
export function isStatus(v: unknown): v is Status {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Status).code === 'string' && Array.isArray((v as Status).reasons);
}

/** The status's reasons joined by ", " (kube's Status.Message); "" for Success. */
export function statusMessage(s: Status | null | undefined): string {
  return s ? s.reasons.join(', ') : '';
}

/** Counts a rejecting status into `rejected` (reason → nodes), once per reason, in the status's reason order. */
export function countReasons(rejected: Record<string, number>, s: Status): void {
  for (const r of s.reasons) rejected[r] = (rejected[r] ?? 0) + 1;
}

/**
 * The runner's range check on one normalized score (kube's runScorePlugins rejects a score outside
 * [MinNodeScore, MaxNodeScore] after normalize with an Error status naming the plugin): null when in range.
 * NaN is out of range too.
 */
export function checkNodeScore(plugin: string, node: string, score: number): Status | null {
  if (score >= MIN_NODE_SCORE && score <= MAX_NODE_SCORE) return null;
  return errorStatus(plugin, `plugin ${plugin} gave node ${node} the score ${score}, outside [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalize`);
}
