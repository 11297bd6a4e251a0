/** openb CSV import: both pod formats, the real files, and an error naming line and column for each bad row. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOpenbNodes, parseOpenbPods } from '../../src/io/openb.ts';
import { OPENB_MAX_PODS, openbCluster, openbClusterSpec, openbTotalGpus } from '../../src/model/openbTrace.ts';

const DATA = new URL('../../../shared/data/openb/', import.meta.url);
const read = (f: string): string => readFileSync(new URL(f, DATA), 'utf8');

const NODE_HEADER = 'sn,cpu_milli,memory_mib,gpu,model';
const POD_HEADER = 'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time';

describe('parseOpenbNodes', () => {
  it('reads rows, CPU-only nodes get no model', () => {
    const nodes = parseOpenbNodes(`${NODE_HEADER}\r\nn-1,96000,393216,8,G2\r\nn-2,32000,262144,0,\r\n`);
    expect(nodes).toEqual([
      { sn: 'n-1', cpuMilli: 96000, memMiB: 393216, gpus: 8, model: 'G2' },
      { sn: 'n-2', cpuMilli: 32000, memMiB: 262144, gpus: 0, model: '' },
    ]);
  });

  it('reads the real GPU node list: 1,213 nodes, 6,212 GPUs (data README)', () => {
    const nodes = parseOpenbNodes(read('openb_node_list_gpu_node.csv'));
    expect(nodes).toHaveLength(1213);
    expect(openbTotalGpus(nodes)).toBe(6212);
  });

  it.each([
    [`${NODE_HEADER}\nn-1,96000,393216,x,G2`, 'line 2: gpu: must be an integer between 0 and 64, got "x"'],
    [`${NODE_HEADER}\nn-1,96000,393216,8,G2\nn-1,96000,393216,8,G2`, 'line 3: sn: duplicate node "n-1"'],
    [`${NODE_HEADER}\nn-1,-5,393216,8,G2`, 'line 2: cpu_milli: must be an integer between 1 and 100000000, got "-5"'],
    [`${NODE_HEADER}\nn-1,96000,393216,8,`, 'line 2: model: must name the GPU model of a node with 8 GPUs'],
    [`${NODE_HEADER}\nn-1,96000,393216`, 'line 2: expected 5 columns (sn,cpu_milli,memory_mib,gpu,model), got 3'],
    ['sn,cpu,mem', 'line 1: node list header must be "sn,cpu_milli,memory_mib,gpu,model", got "sn,cpu,mem"'],
    ['', 'node list: empty file (expected header sn,cpu_milli,memory_mib,gpu,model)'],
    // Unknown models are refused here, by line (the app and the CLI both parse through this): issue 19.
    [`${NODE_HEADER}\nn-1,96000,393216,8,Bogus`, 'line 2: model: unknown GPU model "Bogus" (known: '],
    [`${NODE_HEADER}\nn-1,96000,393216,8,toString`, 'line 2: model: unknown GPU model "toString"'],
    [`${NODE_HEADER}\nn-1,96000,393216,8,${'x'.repeat(5000)}`, '…" (5,000 chars)'],
  ])('rejects %j', (text, message) => {
    expect(() => parseOpenbNodes(text)).toThrow(message);
  });
});

describe('parseOpenbPods', () => {
  it('reads the 11-column format: gpu_spec models, times, qos', () => {
    const pods = parseOpenbPods(`${POD_HEADER}\np-1,6000,12288,1,460,V100M16|V100M32,LS,Running,427061,12902960,427061\np-2,8000,30517,0,0,,BE,Pending,5,,`);
    expect(pods).toEqual([
      { name: 'p-1', cpuMilli: 6000, memMiB: 12288, numGpu: 1, gpuMilli: 460, gpuSpec: ['V100M16', 'V100M32'], qos: 'LS', creationS: 427061, deletionS: 12902960 },
      { name: 'p-2', cpuMilli: 8000, memMiB: 30517, numGpu: 0, gpuMilli: 0, qos: 'BE', creationS: 5 },
    ]);
  });

  it('reads the 5-column multigpu format (no times: arrival 0)', () => {
    const pods = parseOpenbPods('name,cpu_milli,memory_mib,num_gpu,gpu_milli\np-1,12000,16384,2,1000\n');
    expect(pods).toEqual([{ name: 'p-1', cpuMilli: 12000, memMiB: 16384, numGpu: 2, gpuMilli: 1000, creationS: 0 }]);
  });

  it.each([
    ['openb_pod_list_default.csv', 8152],
    ['openb_pod_list_multigpu50.csv', 9061],
    ['openb_pod_list_gpuspec33.csv', 8152],
  ])('reads the real %s (%i pods, data README)', (file, count) => {
    expect(parseOpenbPods(read(file))).toHaveLength(count);
  });

  const row = (cells: string): string => `${POD_HEADER}\np-0,1000,100,1,1000,,LS,Running,0,1,0\n${cells}`;
  it.each([
    ['p,6000,12288,x,460,,LS,Running,1,2,1', 'line 3: num_gpu: must be an integer between 0 and 64, got "x"'],
    ['p,6000,12288,1,1460,,LS,Running,1,2,1', 'line 3: gpu_milli: must be an integer between 0 and 1000, got "1460"'],
    ['p,6000,12288,0,500,,LS,Running,1,2,1', 'line 3: gpu_milli: must be 0 when num_gpu is 0, got "500"'],
    ['p,6000,12288,2,500,,LS,Running,1,2,1', 'line 3: gpu_milli: must be 1000 when num_gpu > 1 (only single-GPU pods share), got "500"'],
    ['p,6000,12288,1,0,,LS,Running,1,2,1', 'line 3: gpu_milli: must be 1..1000 when num_gpu is 1, got "0"'],
    ['p,6.5,12288,1,500,,LS,Running,1,2,1', 'line 3: cpu_milli: must be an integer between 0 and 100000000, got "6.5"'],
    ['p,6000,12288,1,500,G2||T4,LS,Running,1,2,1', 'line 3: gpu_spec: empty model in "G2||T4"'],
    ['p,6000,12288,1,500,,LS,Running,soon,2,1', 'line 3: creation_time: must be an integer ≥ 0, got "soon"'],
    [',6000,12288,1,500,,LS,Running,1,2,1', 'line 3: name: must not be empty'],
    ['p,6000,12288,1,500', 'line 3: expected 11 columns'],
  ])('rejects %j', (cells, message) => {
    expect(() => parseOpenbPods(row(cells))).toThrow(message);
  });

  it('counts lines after blank ones (line numbers are the file\u2019s)', () => {
    expect(() => parseOpenbPods(`${POD_HEADER}\n\n\np,1,1,x,0,,LS,Running,1,2,1`)).toThrow('line 4: num_gpu');
  });
});

describe('openbClusterSpec / openbCluster', () => {
  it('one pool per node named by sn, up to 1,001 pods, and live nodes named exactly sn', () => {
    const nodes = parseOpenbNodes(`${NODE_HEADER}\nopenb-node-0001,64000,262144,2,P100\nopenb-node-0002,96000,393216,8,G2`);
    const spec = openbClusterSpec(nodes);
    expect(spec.pools.map((p) => [p.name, p.count, p.gpusPerNode, p.gpuModel, p.maxPods])).toEqual([
      ['openb-node-0001', 1, 2, 'P100', OPENB_MAX_PODS],
      ['openb-node-0002', 1, 8, 'G2', OPENB_MAX_PODS],
    ]);
    const c = openbCluster(nodes);
    expect(c.nodes.map((n) => n.name)).toEqual(['openb-node-0001', 'openb-node-0002']);
    expect(c.totalGpus).toBe(10);
    expect(c.nodes[1].maxPods).toBe(1001);
  });
});
