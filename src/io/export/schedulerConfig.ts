/**
 * The scheduler's own configuration for the scenario's first profile: a KubeSchedulerConfiguration
 * (kubescheduler.config.k8s.io/v1: percentageOfNodesToScore, NodeResourcesFit scoring strategy and weights), the
 * NVIDIA device plugin's time-slicing config, HAMi's Helm values (node/GPU policies, split count, memory scaling,
 * defaults) or Volcano's scheduler.conf (actions, tiers, plugin arguments) in its ConfigMap.
 */
import { stringify } from 'yaml';
import { RES_GPU } from '../kube/kubeNames.ts';
import { numOption, strOption, type ExportContext, type Manifest } from './exportContext.ts';

/** A file that is not a Kubernetes object (Helm values, a scheduler's config file). */
export interface ConfigFile {
  name: string;
  text: string;
}

function kubeSchedulerConfig(ctx: ExportContext, schedulerName: string): ConfigFile {
  const gpuWeight = numOption(ctx, 'gpuWeight', 0);
  const resources = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
  if (gpuWeight > 0) resources.push({ name: RES_GPU, weight: gpuWeight });
  const config: Record<string, unknown> = {
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    // 0 is kube-scheduler's adaptive default, the same as the simulator's 0.
    percentageOfNodesToScore: numOption(ctx, 'percentageOfNodesToScore', 0),
    profiles: [{ schedulerName, pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: strOption(ctx, 'strategy', 'LeastAllocated'), resources } } }] }],
  };
  return { name: 'kube-scheduler-config.yaml', text: stringify(config) };
}

function volcanoConf(ctx: ExportContext): string {
  const actions = ['enqueue', 'allocate', 'backfill'];
  if (ctx.options.preempt === true) actions.push('preempt');
  if (ctx.options.reclaim === true) actions.push('reclaim');
  const binpackArgs: Record<string, unknown> = { 'binpack.weight': numOption(ctx, 'binpackWeight', 1), 'binpack.cpu': numOption(ctx, 'binpackCpu', 1), 'binpack.memory': numOption(ctx, 'binpackMemory', 1) };
  const gpu = numOption(ctx, 'binpackGpu', 0);
  if (gpu > 0) {
    binpackArgs['binpack.resources'] = RES_GPU;
    binpackArgs[`binpack.resources.${RES_GPU}`] = gpu;
  }
  // The Helm chart's tiers switch gang's and drf's preemptable off (sched/volcano/victims.ts); the code default
  // leaves every victim function on.
  const helmTiers = strOption(ctx, 'victimTiers', 'helm') === 'helm';
  const noPreempt = helmTiers ? { enablePreemptable: false } : {};
  const second: Record<string, unknown>[] = [
    { name: 'overcommit', arguments: { 'overcommit-factor': numOption(ctx, 'overcommitFactor', 1.2) } },
    { name: 'drf', ...noPreempt },
    { name: 'predicates' },
    { name: 'proportion' },
    { name: 'nodeorder' },
  ];
  if (numOption(ctx, 'binpackWeight', 1) > 0) second.push({ name: 'binpack', arguments: binpackArgs });
  if (ctx.scheduler.profile === 'volcano-hami') {
    second.push({ name: 'deviceshare', arguments: { 'deviceshare.VGPUEnable': true, 'deviceshare.SchedulePolicy': strOption(ctx, 'deviceSharePolicy', 'binpack'), 'deviceshare.ScheduleWeight': numOption(ctx, 'deviceShareWeight', 10) } });
  }
  return stringify({ actions: actions.join(', '), tiers: [{ plugins: [{ name: 'priority' }, { name: 'gang', ...noPreempt }, { name: 'conformance' }] }, { plugins: second }] });
}

/** Scheduler configuration: ConfigMaps to apply, and files for Helm or the scheduler's command line. */
export function schedulerConfig(ctx: ExportContext): { objects: Manifest[]; files: ConfigFile[] } {
  const profile = ctx.scheduler.profile;
  const objects: Manifest[] = [];
  const files: ConfigFile[] = [];
  if (ctx.target === 'kuberay' && !ctx.volcano) return { objects, files };
  if (ctx.volcano) {
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'volcano-scheduler-configmap', namespace: 'volcano-system' }, data: { 'volcano-scheduler.conf': volcanoConf(ctx) } });
    if (!profile.startsWith('volcano')) ctx.notes.push(`the scenario's first scheduler is ${profile}; the Volcano configuration uses Volcano's defaults`);
    return { objects, files };
  }
  if (ctx.hami) {
    const values = {
      devicePlugin: { deviceSplitCount: numOption(ctx, 'splitCount', 10), deviceMemoryScaling: numOption(ctx, 'memoryScaling', 1) },
      scheduler: {
        defaultSchedulerPolicy: { nodeSchedulerPolicy: strOption(ctx, 'nodePolicy', 'binpack'), gpuSchedulerPolicy: strOption(ctx, 'gpuPolicy', 'spread') },
        defaultMem: numOption(ctx, 'defaultMemMiB', 0),
        defaultCores: numOption(ctx, 'defaultCores', 0),
      },
    };
    files.push({ name: 'hami-values.yaml', text: `# helm install hami hami-charts/hami -n kube-system -f hami-values.yaml\n${stringify(values)}` });
    files.push(kubeSchedulerConfig(ctx, 'hami-scheduler'));
    if (!profile.startsWith('hami')) ctx.notes.push(`the scenario's first scheduler is ${profile}; the HAMi values use HAMi's defaults`);
    return { objects, files };
  }
  files.push(kubeSchedulerConfig(ctx, 'default-scheduler'));
  if (profile === 'k8s-timeslicing') {
    const replicas = numOption(ctx, 'replicas', 4);
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'time-slicing-config', namespace: 'gpu-operator' }, data: { any: stringify({ version: 'v1', sharing: { timeSlicing: { resources: [{ name: RES_GPU, replicas }] } } }) } });
  } else if (!profile.startsWith('k8s')) ctx.notes.push(`the scenario's first scheduler is ${profile}, which real kube-scheduler does not implement; kube-scheduler's defaults are written`);
  return { objects, files };
}
