/**
 * The planner's view model (src/ui/plan/planViewModel.ts) on a hand-made grid, and when Plan mode opens
 * (src/ui/plan/planMode.ts modeAfter). The answer and bands themselves are src/plan/'s (test/plan/); here: what the
 * components get from them.
 */
import { describe, expect, it } from 'vitest';
import type { PlanAnswer, PlanCell, ScaleBand, SeriesBand } from '../../src/plan/index.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { answerLines, defaultPlan, groupLabel, heatmap, scaleCurves, timeCurves } from '../../src/ui/plan/planViewModel.ts';
import { modeAfter } from '../../src/ui/plan/planMode.ts';
import { planColor } from '../../src/ui/plan/planColors.ts';

const missed = { sloAttainmentPct: 0, p95WaitS: 0, trainingSlowdown: 0, nothingPending: 0, maxCostPerHourUsd: 0 };
const cell = (profile: string, knob: string, scaleIndex: number, run: number, meeting: number, binding: PlanCell['bindingTarget'], demandScale = 1): PlanCell => ({
  profile, knob, scaleIndex, demandScale, seedsTotal: 5, seedsRun: run, seedsMeeting: meeting, status: 'open', missedBy: missed, bindingTarget: binding,
});

describe('plan view model', () => {
  it('answer lines: the smallest cluster with its saving, or the binding target when none meets', () => {
    const base = { demandScale: 1, seedsMeeting: 5, seedsRun: 5, final: true, knob: null, savingPct: null, bindingTarget: null } as const;
    const answers: PlanAnswer[] = [
      { ...base, profile: 'k8s-default', meets: true, scale: 1.25, scaleLabel: '1.25×', nodes: 5, gpus: 40, costPerHour: 58, savingText: 'baseline' },
      { ...base, profile: 'hami-binpack', meets: true, scale: 1, scaleLabel: '1×', nodes: 4, gpus: 32, costPerHour: 46.4, savingPct: -20, savingText: '−20 %', knob: 'splitCount=4', final: false },
      { ...base, profile: 'volcano', meets: false, scale: null, scaleLabel: null, nodes: null, gpus: null, costPerHour: null, savingText: '', bindingTarget: 'p95WaitS', seedsRun: 0, seedsMeeting: 0 },
    ];
    const lines = answerLines(answers, 1, false);
    expect(lines.map((l) => [l.profile, l.scaleLabel, l.nodes, l.gpus, l.savingText, l.knob, l.final, l.binding, l.demand])).toEqual([
      ['k8s-default', '1.25×', 5, 40, 'baseline', '', true, null, null],
      ['hami-binpack', '1×', 4, 32, '−20 %', 'splitCount=4', false, null, null],
      // No cluster meets: no scale, and the target it missed most in words.
      ['volcano', null, null, null, '', '', true, 'p95 wait', null],
    ]);
    expect(answerLines(answers, 2, false)).toEqual([]);
    expect(answerLines(answers, null, true)[0].demand).toBe('1×');
  });

  it('curves: one per profile and knob at the demand on screen, sorted by scale, the profile colour', () => {
    const b = (profile: string, knob: string, scale: number, mean: number, demandScale = 1): ScaleBand => ({ profile, knob, demandScale, scale, scaleLabel: `${scale}×`, n: 3, mean, lo: mean - 1, hi: mean + 1 });
    const curves = scaleCurves([b('fgd', '', 2, 90), b('fgd', '', 1, 80), b('hami-binpack', 'splitCount=4', 1, 70), b('fgd', '', 1, 10, 2)], 1);
    expect(curves).toEqual([
      { label: 'fgd', color: planColor('fgd'), points: [{ x: 1, mean: 80, lo: 79, hi: 81 }, { x: 2, mean: 90, lo: 89, hi: 91 }] },
      { label: 'hami-binpack splitCount=4', color: planColor('hami-binpack'), points: [{ x: 1, mean: 70, lo: 69, hi: 71 }] },
    ]);
  });

  it('heatmap: a row per profile and knob in plan order, cells only where seeds finished, met share in %', () => {
    const h = heatmap([cell('k8s-default', '', 0, 4, 1, 'sloAttainmentPct'), cell('k8s-default', '', 1, 0, 0, null), cell('hami-binpack', '', 0, 5, 5, null), cell('hami-binpack', '', 0, 5, 0, 'cost' as never, 2)], 1);
    expect(h.rows).toEqual(['k8s-default', 'hami-binpack']);
    // 1 of 4 seeds met every target: 25 %.
    expect(h.cells).toEqual([
      { row: 'k8s-default', col: 0, seeds: 4, metPct: 25, binding: 'SLO' },
      { row: 'hami-binpack', col: 0, seeds: 5, metPct: 100, binding: null },
    ]);
  });

  it('time curves: the groups at the chosen scale and demand, x in hours', () => {
    const s = (profile: string, scaleLabel: string): SeriesBand => ({ profile, knob: '', demandScale: 1, scaleLabel, n: 2, tS: [0, 3600, 7200], mean: [1, 2, 3], lo: [0, 1, 2], hi: [2, 3, 4] });
    expect(timeCurves([s('fgd', '1×'), s('fgd', '2×')], '2×', 1)).toEqual([
      { label: 'fgd (2 seeds)', color: planColor('fgd'), points: [{ x: 0, mean: 1, lo: 0, hi: 2 }, { x: 1, mean: 2, lo: 1, hi: 3 }, { x: 2, mean: 3, lo: 2, hi: 4 }] },
    ]);
    expect(groupLabel('fgd', '')).toBe('fgd');
  });

  it('the default plan: the scenario\u2019s schedulers once each, 0.5×–2×, five seeds, SLO only with inference', () => {
    const s = { schedulers: [{ profile: 'k8s-default' }, { profile: 'hami-binpack', options: { splitCount: 4 } }, { profile: 'k8s-default', label: 'again' }], workloads: [{ kind: 'inference' }] } as unknown as Scenario;
    expect(defaultPlan(s)).toEqual({
      profiles: [{ profile: 'k8s-default' }, { profile: 'hami-binpack', options: { splitCount: 4 } }],
      scale: { factors: { from: 0.5, to: 2, step: 0.25 } },
      seeds: { from: 1, to: 5 },
      targets: { sloAttainmentPct: 99, nothingPending: true },
    });
    expect(defaultPlan({ ...s, workloads: [] }).targets).toEqual({ nothingPending: true });
  });
});

describe('when Plan mode opens', () => {
  it.each([
    ['preset', true, undefined, 'plan'],
    ['file', true, undefined, 'plan'],
    ['preset', false, undefined, 'run'],
    // A link or saved work opens in the mode it was made in.
    ['link', true, 'plan', 'plan'],
    ['link', true, undefined, 'run'],
    ['autosave', true, 'plan', 'plan'],
    ['link', false, 'plan', null],
    // Edits never switch.
    ['edit', true, 'plan', null],
    ['edit', false, undefined, null],
  ] as const)('%s, plan %s, panel %s → %s', (origin, hasPlan, panel, want) => {
    expect(modeAfter(origin, hasPlan, panel)).toBe(want);
  });
});
