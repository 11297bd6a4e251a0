/**
 * MIG in the workbench (issue 17), in Chromium: the pool editor edits a pool's MIG layout (named and custom, a
 * layout that does not fit refused with its field), and the cluster view draws MIG instances on each GPU's
 * memory-slice grid, with the static layout's idle instances outlined. Controls are found by role and name.
 */
import { expect, it } from 'vitest';
import { describeBrowser } from './harness.ts';

describeBrowser('MIG in the workbench', {}, (w) => {
  it('opens the MIG layouts preset and draws instances and idle layout slots on the slice grid', async () => {
    await w.page.getByRole('combobox', { name: 'Preset scenario' }).selectOption('mig-layouts');
    await w.page.waitForFunction(() => document.querySelectorAll('.cluster-view .mig line').length > 0);
    // k8s-mig runs first: all-1g.10gb puts seven instances on every A100 80GB, idle ones dashed
    await w.page.waitForFunction(() => document.querySelectorAll('.cluster-view .mig rect.free').length > 0);
    const lines = await w.page.locator('.cluster-view').first().locator('.mig line').count();
    expect(lines).toBe(16 * 7);
  });

  it('the pool editor picks a layout, draws it on one GPU, and refuses a custom list that does not fit, naming the field', async () => {
    await w.page.getByRole('tab', { name: 'Cluster' }).click();
    const layout = w.page.getByRole('combobox', { name: 'MIG layout of pool a100' });
    await expect(layout.inputValue()).resolves.toBe('all-1g.10gb');
    await layout.selectOption('all-balanced');
    await w.page.getByRole('img', { name: /^One GPU: .*3g\.40gb on memory slices/ }).waitFor();
    await layout.selectOption('custom');
    const list = w.page.getByRole('textbox', { name: 'MIG profiles per GPU of pool a100, comma-separated' });
    // The list has a visible label, and its accessible name holds the label's words.
    expect(await w.page.getByText('MIG profiles per GPU (comma-separated)', { exact: true }).isVisible()).toBe(true);
    await list.fill('3g.40gb, 3g.40gb, 1g.10gb');
    await list.press('Tab');
    await expect(w.page.getByRole('alert').textContent()).resolves.toMatch(/Pool "a100", mig: 3g\.40gb \+ 3g\.40gb \+ 1g\.10gb does not fit one A100-80G/);
    // The refused list is not left in the field: it shows the layout that runs (all-balanced's).
    expect(await list.inputValue()).not.toBe('3g.40gb, 3g.40gb, 1g.10gb');
    expect(await list.inputValue()).toMatch(/3g\.40gb/);
    await list.fill('4g.40gb, 3g.40gb');
    await list.press('Tab');
    await w.page.waitForFunction(() => !document.querySelector('[role="alert"]'));
    await w.page.getByRole('img', { name: 'One GPU: 4g.40gb on memory slices 0–3, 3g.40gb on memory slices 4–7' }).waitFor();
    // MIG off: no custom list (issue 18 review).
    await layout.selectOption('all-disabled');
    await w.page.getByRole('img', { name: 'One GPU: no MIG instances' }).waitFor();
    expect(await list.count()).toBe(0);
    expect(await w.page.getByText('MIG profiles per GPU (comma-separated)').count()).toBe(0);
    expect(w.s.problems).toEqual([]);
  });
});
