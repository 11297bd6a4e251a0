/**
 * Simulator benchmark (issue: foundation): events per second and wall time of the 1,000-node, 8,000-GPU,
 * 7-day scenario with tens of thousands of pods on the CPU path, under k8s-default. Median of `runs`.
 */
import { benchScenario } from '../../sim/benchScenario.ts';
import { Simulation } from '../../sim/simulation.ts';

export interface SimulatorBench {
  scenario: string;
  profile: string;
  nodes: number;
  gpus: number;
  simulatedDays: number;
  pods: number;
  events: number;
  runs: number;
  /** Median wall time of one full run, seconds. */
  wallS: number;
  /** Wall times of every run, seconds. */
  wallsS: number[];
  eventsPerS: number;
  traceHash: string;
}

/** Runs the simulator benchmark `runs` times (fresh simulation each time) and returns the median. */
export function benchSimulator(runs = 3, profile = 'k8s-default'): SimulatorBench {
  const s = benchScenario(profile);
  const walls: number[] = [];
  let events = 0;
  let pods = 0;
  let hash = '';
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = new Simulation(s).result();
    walls.push((performance.now() - t0) / 1000);
    events = r.events;
    pods = r.summary.podsCreated;
    if (hash && hash !== r.traceHash) throw new Error('benchmark run was not deterministic');
    hash = r.traceHash;
  }
  const sorted = [...walls].sort((a, b) => a - b);
  const wallS = sorted[Math.floor(sorted.length / 2)];
  const nodes = s.cluster.pools.reduce((a, p) => a + p.count, 0);
  return {
    scenario: s.name,
    profile,
    nodes,
    gpus: s.cluster.pools.reduce((a, p) => a + p.count * p.gpusPerNode, 0),
    simulatedDays: s.sim.durationS / 86400,
    pods,
    events,
    runs,
    wallS,
    wallsS: walls,
    eventsPerS: events / wallS,
    traceHash: hash,
  };
}
