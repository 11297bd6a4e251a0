/** The run header's live numbers come from the frame the cluster view draws (src/ui/lib/headline.ts). */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/validate.ts';
import { WorkbenchSession } from '../../src/worker/session.ts';
import { frameHeadline } from '../../src/ui/lib/headline.ts';

describe('frameHeadline', () => {
  it('counts cards holding pods, caps a shared card at one GPU, averages compute used', () => {
    // Cards: 1000 + 500 (time-sliced: 1500 booked, counts as one whole GPU), 250, 0, 0 → 1250 / 4000 = 31.25 %.
    expect(frameHeadline([1500, 250, 0, 0], [100, 20, 0, 0])).toEqual({ holding: 2, gpus: 4, allocationPct: 31.25, utilizationPct: 30 });
    expect(frameHeadline([], [])).toEqual({ holding: 0, gpus: 0, allocationPct: 0, utilizationPct: 0 });
  });

  it('agrees with the drawing between metric samples (gang-deadlock, 150 s into a 300 s step)', () => {
    const r = parseScenario(JSON.parse(readFileSync(new URL('../../public/scenarios/gang-deadlock.json', import.meta.url), 'utf8')));
    if (!r.ok) throw new Error(r.errors.join());
    const s = new WorkbenchSession(r.scenario);
    const f = s.advanceTo(150);
    // No metric sample exists yet (the first is at 300 s): a header read from the samples said 0 % while the
    // drawing showed every GPU held. From the frame, both say 16 of 16.
    expect(s.simulations()[0].series).toHaveLength(0);
    const k8s = f.runs[0];
    const drawn = Array.from(k8s.gpuMilli).filter((m) => m > 0).length;
    expect(frameHeadline(k8s.gpuMilli, k8s.gpuUsedPct)).toMatchObject({ holding: drawn, gpus: 16, allocationPct: (drawn / 16) * 100 });
    expect(drawn).toBe(16);
  });
});
