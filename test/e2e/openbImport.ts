/**
 * A small openb-shaped trace for the planner's browser tests (8-, 4- and 2-GPU nodes in turn; sharing, whole and
 * multi-GPU pods) and the import dialog's steps that load it "as the FGD paper does" (plan.test.ts,
 * planGpu.test.ts; test/worker/paperLockstep.test.ts uses the trace alone).
 */
import type { Page } from 'playwright-core';

/** The node and pod list CSV texts of `nodeCount` nodes and `podCount` pods (one pod a minute, two hours each). */
export function smallOpenbCsv(nodeCount: number, podCount: number): { nodes: string; pods: string } {
  const nodes = ['sn,cpu_milli,memory_mib,gpu,model', ...Array.from({ length: nodeCount }, (_, i) => `node-${i},${[96000, 64000, 64000][i % 3]},${['786432,8,G2', '262144,4,T4', '262144,2,P100'][i % 3]}`)].join('\n');
  const podShapes = ['6000,12288,1,460,', '12000,24576,1,1000,', '8000,16384,1,250,', '16000,65536,2,1000,', '4000,8192,1,500,'];
  const pods = ['name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time', ...Array.from({ length: podCount }, (_, i) => `pod-${i},${podShapes[i % podShapes.length]},LS,Running,${i * 60},${i * 60 + 7200},${i * 60}`)].join('\n');
  return { nodes, pods };
}

/** Imports the trace as nodes.csv and pods.csv through "Import real trace…" (Run mode), every node and pod kept. */
export async function importOpenb(page: Page, nodes: string, pods: string): Promise<void> {
  await page.getByRole('button', { name: 'Import real trace…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import the real trace (openb)' });
  await dialog.getByLabel('Node list CSV file').setInputFiles({ name: 'nodes.csv', mimeType: 'text/csv', buffer: Buffer.from(nodes) });
  await dialog.getByLabel('Pod list CSV file').setInputFiles({ name: 'pods.csv', mimeType: 'text/csv', buffer: Buffer.from(pods) });
  await dialog.getByRole('spinbutton', { name: 'Keep every k-th node' }).fill('1');
  await dialog.getByRole('spinbutton', { name: 'Keep every k-th pod' }).fill('1');
  await dialog.getByRole('button', { name: 'Import and load' }).click();
}
