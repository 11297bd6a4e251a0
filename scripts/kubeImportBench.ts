/**
 * `npx tsx scripts/kubeImportBench.ts [nodes] [pods]`: times the cluster-snapshot import on a generated
 * snapshot (default 5,000 nodes, 100,000 pods: about 50 MB of kubectl JSON). Issue 16 asks for under 5 s in Node.
 */
import { importKubeSnapshot } from '../src/io/kube/importSnapshot.ts';

const nodes = Number(process.argv[2] ?? 5000);
const pods = Number(process.argv[3] ?? 100000);
const items: unknown[] = [];
for (let i = 0; i < nodes; i++) {
  items.push({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `node-${i}`, labels: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3', 'nvidia.com/gpu.count': '8', 'topology.kubernetes.io/zone': `z${i % 3}`, 'kubernetes.io/hostname': `node-${i}` } },
    status: { capacity: { cpu: '192', memory: '2048Gi', 'nvidia.com/gpu': '8', pods: '110' }, allocatable: { cpu: '190', memory: '2000Gi', 'nvidia.com/gpu': '8', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
  });
}
for (let i = 0; i < pods; i++) {
  const running = i % 4 !== 0;
  items.push({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `job-${i % 500}-${i}`, namespace: `team-${i % 7}`, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: `job-${i % 500}`, uid: `u${i % 500}` }], labels: { app: `job-${i % 500}` } },
    spec: { ...(running ? { nodeName: `node-${i % nodes}` } : {}), containers: [{ name: 'main', image: 'trainer:1', env: [{ name: 'A', value: 'b' }], resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { 'nvidia.com/gpu': i % 3 === 0 ? '1' : '0' } } }] },
    status: { phase: running ? 'Running' : 'Pending' },
  });
}
const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
const t0 = performance.now();
const { scenario, report } = importKubeSnapshot(text);
const ms = performance.now() - t0;
console.log(`${(text.length / 1e6).toFixed(1)} MB, ${nodes} nodes, ${pods} pods → ${scenario.cluster.pools.length} pools, ${scenario.existingPods?.length ?? 0} existing pods, ${scenario.workloads.length} workloads in ${(ms / 1000).toFixed(2)} s`);
console.log(report.summary.join('\n'));
