/**
 * The toolbar's ⎈ cluster menu in Chromium ("Import cluster…", "Export as …"): a bad pasted snapshot names the object and field and keeps the
 * scenario; the mixed fixture imports in the worker, its report shows while the current scenario stays, and only
 * "Load this scenario" replaces it; an export downloads multi-document YAML that validates as a scenario again.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { describeBrowser, START_SCENARIO, waitLoaded } from './harness.ts';

const MIXED = readFileSync(new URL('../fixtures/kube/mixed.yaml', import.meta.url), 'utf8');

describeBrowser('cluster import and manifest export in Chromium', {}, (w) => {
  it('a bad pasted snapshot: the message names the object and field; the scenario stays', async () => {
    await w.page.getByRole('button', { name: 'Cluster import and export' }).click();
    await w.page.getByRole('menuitem', { name: 'Import cluster…' }).click();
    const dialog = w.page.getByRole('dialog', { name: 'Import a cluster snapshot' });
    await dialog.getByLabel('Pasted cluster snapshot').fill(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'bare' } }] }));
    await dialog.getByRole('button', { name: 'Read snapshot' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('nodes/bare: status.allocatable: missing');
    await expect(dialog.getByRole('button', { name: 'Load this scenario' }).isDisabled()).resolves.toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await w.page.getByRole('heading', { name: START_SCENARIO }).first().waitFor();
  });

  it('a snapshot file: the report shows, the scenario is untouched until it is accepted', async () => {
    await w.page.getByRole('button', { name: 'Cluster import and export' }).click();
    await w.page.getByRole('menuitem', { name: 'Import cluster…' }).click();
    const dialog = w.page.getByRole('dialog', { name: 'Import a cluster snapshot' });
    await dialog.getByLabel('Cluster snapshot file').setInputFiles({ name: 'mixed.yaml', mimeType: 'application/yaml', buffer: Buffer.from(MIXED) });
    await dialog.getByRole('button', { name: 'Read snapshot' }).click();
    const report = dialog.getByRole('region', { name: 'Import report' });
    await report.waitFor();
    await expect(report.textContent()).resolves.toContain('5 node(s), 22 GPU(s) → 4 pool(s)');
    await expect(report.textContent()).resolves.toContain('Secret(s): never read');
    await w.page.getByRole('heading', { name: START_SCENARIO }).first().waitFor();
    await dialog.getByRole('button', { name: 'Load this scenario' }).click();
    await waitLoaded(w.page, 'imported cluster');
    await expect(w.page.getByRole('dialog').count()).resolves.toBe(0);
  });

  it('⎈ → Export as Volcano downloads YAML', async () => {
    await w.page.getByRole('button', { name: 'Cluster import and export' }).click();
    const [dl] = await Promise.all([w.page.waitForEvent('download'), w.page.getByRole('menuitem', { name: 'Export as Volcano' }).click()]);
    expect(dl.suggestedFilename()).toBe('imported-cluster-volcano.yaml');
    const text = readFileSync((await dl.path())!, 'utf8');
    const kinds = parseAllDocuments(text).map((d) => (d.toJS() as { kind?: string } | null)?.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Node', 'Pod', 'Job', 'ConfigMap']));
    expect(w.s.problems.filter((p) => !p.includes('WebGPU'))).toEqual([]);
  });
});
