/**
 * `--emit-job`: the Kubernetes objects that run a sharded grid on a cluster (docs/scale-out.md). Generic over the
 * command (`sweep`, `plan`): a ConfigMap holding the scenario, an Indexed Job whose completion index is the
 * shard index (completions = parallelism = N; each pod writes /rows/shard-<i>.jsonl on a shared volume), and a
 * merge Job created suspended, to be resumed once the shards' Job is complete (Kubernetes has no Job ordering).
 */
import { stringify } from 'yaml';
import { InputError, intFlag } from './io.ts';
import { slicebenchVersion } from './shards.ts';

/** What the manifests need to know. */
export interface IndexedJobSpec {
  /** Prefix of every object's name (a DNS label). */
  name: string;
  /** A container image whose entrypoint can run `slicebench` (docs/scale-out.md shows a Dockerfile). */
  image: string;
  /** A ReadWriteMany PersistentVolumeClaim, mounted at /rows in every pod. */
  pvc: string;
  shards: number;
  /** The scenario file's text, mounted at /scenario/scenario.json. */
  scenarioJson: string;
  /** The CLI command (`sweep`) and its grid flags (not --shard/--out, which the Job adds). */
  command: string;
  args: string[];
  /** Flags of the merge step (e.g. --json). */
  mergeArgs: string[];
}

/** The manifests as plain objects: ConfigMap, the shards' Indexed Job, the suspended merge Job. */
export function indexedJobManifests(s: IndexedJobSpec): Record<string, unknown>[] {
  const labels = { 'app.kubernetes.io/name': 'slicebench', 'app.kubernetes.io/instance': s.name };
  const volumes = [
    { name: 'scenario', configMap: { name: `${s.name}-scenario` } },
    { name: 'rows', persistentVolumeClaim: { claimName: s.pvc } },
  ];
  const mounts = [
    { name: 'scenario', mountPath: '/scenario', readOnly: true },
    { name: 'rows', mountPath: '/rows' },
  ];
  const shardFiles = Array.from({ length: s.shards }, (_, i) => `/rows/shard-${i}.jsonl`);
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${s.name}-scenario`, labels }, data: { 'scenario.json': s.scenarioJson } },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `${s.name}-shards`, labels },
      spec: {
        completionMode: 'Indexed',
        completions: s.shards,
        parallelism: s.shards,
        // A failed shard is retried on its own index; the rows file is written whole or not at all.
        backoffLimitPerIndex: 3,
        maxFailedIndexes: 0,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            volumes,
            containers: [
              {
                name: 'shard',
                image: s.image,
                // Declared explicitly so $(JOB_COMPLETION_INDEX) below expands from a variable the container defines.
                env: [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }],
                command: ['slicebench'],
                args: [s.command, '/scenario/scenario.json', ...s.args, '--shard', `$(JOB_COMPLETION_INDEX)/${s.shards}`, '--out', '/rows/shard-$(JOB_COMPLETION_INDEX).jsonl'],
                volumeMounts: mounts,
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `${s.name}-merge`, labels },
      spec: {
        // Resumed by hand (or a pipeline) after the shards' Job completes: docs/scale-out.md.
        suspend: true,
        completions: 1,
        backoffLimit: 0,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            volumes: [volumes[1]],
            containers: [
              {
                name: 'merge',
                image: s.image,
                command: ['sh', '-c', `slicebench merge ${[...shardFiles, ...s.mergeArgs].join(' ')} > /rows/merged.out && cat /rows/merged.out`],
                volumeMounts: [mounts[1]],
              },
            ],
          },
        },
      },
    },
  ];
}

/** The manifests as one YAML stream (`kubectl apply -f -`). */
export function indexedJobYaml(s: IndexedJobSpec): string {
  return indexedJobManifests(s).map((m) => stringify(m, { lineWidth: 0 })).join('---\n');
}

/**
 * The manifests of a grid of `replicas` from the CLI's `--emit-job` flags (`--shards N`, `--image`, `--pvc`,
 * `--job-name`, `--json` for the merge), refusing the flags that belong to the shards it runs.
 */
export function shardJobYaml(values: Record<string, unknown>, replicas: number, job: { name: string; scenarioJson: string; command: string; args: string[] }): string {
  if (values.shards === undefined) throw new InputError('--emit-job needs --shards N (the number of shards, one Job completion index each)');
  const shards = intFlag(values.shards as string, '--shards') as number;
  if (shards < 1 || shards > Math.max(1, replicas)) throw new InputError(`--shards: must be between 1 and the grid's ${replicas} replicas, got ${shards}`);
  if (values.shard !== undefined || values.out !== undefined || values.workers !== undefined) throw new InputError('--emit-job writes the manifests; --shard, --out and --workers belong to the shards it runs');
  return indexedJobYaml({
    name: (values['job-name'] as string | undefined) ?? job.name,
    image: (values.image as string | undefined) ?? `slicebench:${slicebenchVersion()}`,
    pvc: (values.pvc as string | undefined) ?? 'slicebench-rows',
    shards,
    scenarioJson: job.scenarioJson,
    command: job.command,
    args: job.args,
    mergeArgs: values.json ? ['--json'] : [],
  });
}
