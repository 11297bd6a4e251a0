/** `slicebench run <scenario.json> [--seed N] [--profile NAME] [--compare] [--json] [--engine cpu|gpu|auto]`. */
import type { Command } from '../main.ts';
import { loadScenarioFile } from '../scenarioFile.ts';
import { InputError, quoteInput, seedFlag } from '../io.ts';
import type { SimResult } from '../../sim/simulate.ts';
import { simulateAsync } from '../../sim/simulation.ts';
import type { Scheduler } from '../../sched/framework.ts';
import { ENGINE_OPTION, ENGINE_USAGE, engineLine, engineReport, selectCliEngine } from '../engine.ts';
import { distinctStatuses, engineStatusOf, engineWrap } from '../../engine/wiring/wire.ts';
import type { EngineStatus } from '../../engine/wiring/status.ts';
import { ScenarioError } from '../../scenario/errors.ts';
import { getProfile, listProfiles } from '../../sched/profiles/index.ts';
import type { Scenario } from '../../scenario/types.ts';

export const runCommand: Command = {
  name: 'run',
  usage: `run <scenario.json> [--seed N] [--profile NAME] [--compare] [--json] ${ENGINE_USAGE}`,
  summary: 'Simulate a scenario and print its summary (--json: summary, metric series and traceHash). --compare runs every scheduler of the scenario.',
  options: { seed: { type: 'string' }, profile: { type: 'string' }, compare: { type: 'boolean' }, json: { type: 'boolean' }, ...ENGINE_OPTION },
  async run(positionals, values, io) {
    if (positionals.length !== 1) throw new InputError('expects exactly one scenario file');
    let scenario = loadScenarioFile(positionals[0]);
    const seed = seedFlag(values.seed as string | undefined);
    const profile = values.profile as string | undefined;
    if (profile !== undefined) {
      if (!getProfile(profile)) throw new InputError(`--profile: unknown profile ${quoteInput(profile)} (known: ${listProfiles().map((p) => p.name).join(', ')})`);
      const existing = scenario.schedulers.find((s) => s.profile === profile);
      scenario = { ...scenario, schedulers: [existing ?? { profile }] };
    }
    const indices = values.compare ? scenario.schedulers.map((_, i) => i) : [0];
    const results: SimResult[] = [];
    const statuses: EngineStatus[] = [];
    const sel = await selectCliEngine(values.engine, io);
    try {
      for (const i of indices) {
        let used: Scheduler | null = null;
        const wrap = engineWrap(sel);
        try {
          results.push(await simulateAsync(scenario, { schedulerIndex: i, seed, wrapScheduler: (s, setup) => (used = wrap(s, setup)) }));
        } catch (e) {
          if (e instanceof ScenarioError) throw new InputError(`${positionals[0]}: ${e.message}`);
          throw e;
        }
        statuses.push(engineStatusOf(sel, used!));
      }
    } finally {
      sel.engine.destroy();
    }
    const engine = engineReport(distinctStatuses(statuses, sel));
    io.err(engineLine(engine));
    if (values.json) {
      io.out(JSON.stringify(values.compare ? { runs: results, engine } : { ...results[0], engine }));
      return 0;
    }
    io.out(formatSummaries(scenario, results));
    return 0;
  },
};

const fmt = (v: number, digits = 1): string => (v < 0 ? '—' : v.toFixed(digits));

/** A plain-text table: one column per run. */
export function formatSummaries(scenario: Scenario, results: SimResult[]): string {
  const rows: [string, (r: SimResult) => string][] = [
    ['GPU allocation %', (r) => fmt(r.summary.allocationPct)],
    ['GPU utilization %', (r) => fmt(r.summary.utilizationPct)],
    ['GPUs in use (avg)', (r) => fmt(r.summary.gpusInUseAvg)],
    ['GPU memory booked %', (r) => fmt(r.summary.gpuMemBookedPct)],
    ['GPU memory used %', (r) => fmt(r.summary.gpuMemUsedPct)],
    ['stranded GPUs (avg)', (r) => fmt(r.summary.strandedGpusAvg)],
    ['fragmented GPUs (avg)', (r) => fmt(r.summary.fragmentedGpusAvg)],
    // issue 17: MIG slices, only when a run holds MIG instances
    ...(results.some((r) => r.summary.mig)
      ? ([['MIG slices used / idle / stranded %', (r) => (r.summary.mig ? `${fmt(r.summary.mig.usedSlicesPct)} / ${fmt(r.summary.mig.idleSlicesPct)} / ${fmt(r.summary.mig.strandedSlicesPct)}` : '—')]] as [string, (r: SimResult) => string][])
      : []),
    ['pending pods (avg / max)', (r) => `${fmt(r.summary.pendingAvg)} / ${r.summary.pendingMax}`],
    ['pods bound / created', (r) => `${r.summary.podsBound} / ${r.summary.podsCreated}`],
    ['pending at end', (r) => String(r.summary.podsPendingAtEnd)],
    // issue 18: the waits below are censored at the end for pods that never started, so say how many
    ['pods never started', (r) => String(r.summary.podsNeverStarted)],
    ['wait mean / p95 (s)', (r) => `${fmt(r.summary.meanWaitS)} / ${fmt(r.summary.p95WaitS)}`],
    ['training done / jobs', (r) => `${r.summary.training.completed} / ${r.summary.training.jobs}`],
    ['training JCT mean (h)', (r) => fmt(r.summary.training.meanJctS / 3600, 2)],
    ['training slowdown', (r) => fmt(r.summary.training.meanSlowdown, 2)],
    ['inference SLO attained %', (r) => (r.summary.inference.services ? fmt(r.summary.inference.sloAttainmentPct) : '—')],
    ['inference p50 / p99 (ms)', (r) => (r.summary.inference.services ? `${fmt(r.summary.inference.p50LatencyMs)} / ${fmt(r.summary.inference.p99LatencyMs)}` : '—')],
    ['agent bursts', (r) => String(r.summary.agents.bursts)],
    ['agent burst latency mean / p95 (s)', (r) => (r.summary.agents.bursts ? `${fmt(r.summary.agents.meanBurstLatencyS)} / ${fmt(r.summary.agents.p95BurstLatencyS)}` : '—')],
    ['cost (USD)', (r) => fmt(r.summary.cost.totalUsd, 0)],
    ['cost per useful GPU-hour (USD)', (r) => fmt(r.summary.cost.costPerUsefulGpuHourUsd, 2)],
    ['OOM kills / evictions', (r) => `${r.summary.oomKills} / ${r.summary.evictions}`],
    ['traceHash', (r) => r.traceHash],
  ];
  const header = ['', ...results.map((r) => r.label)];
  const table = [header, ...rows.map(([name, f]) => [name, ...results.map(f)])];
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const lines = table.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  const r0 = results[0];
  const head = `${scenario.name} — ${r0.summary.nodes} nodes, ${r0.summary.gpus} GPUs, ${(r0.summary.durationS / 3600).toFixed(1)} h simulated, seed ${r0.seed}`;
  const stuck = results.flatMap((r) => r.unschedulable.slice(0, 3).map((u) => `  [${r.label}] ${u.pod}: ${u.reason}`));
  return [head, '', ...lines, ...(stuck.length ? ['', 'still pending (first few):', ...stuck] : [])].join('\n');
}
