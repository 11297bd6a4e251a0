/**
 * Playback frame rate in headless Chromium (issue 18 item 7): opens a preset in the built app (the e2e harness:
 * `vite preview` of dist/, built first when stale), plays it at a fixed speed and records every animation frame
 * the page paints (requestAnimationFrame timestamps); reports frames per second, the worst frame and the 95th
 * percentile frame time, and how far the simulated clock got. With --openb DIR it also imports the full openb
 * trace (DIR/openb_node_list_gpu_node.csv and DIR/openb_pod_list_default.csv) and plays that.
 *
 * Usage: npx tsx scripts/playbackBench.ts [--preset openb-like] [--seconds 10] [--speed 1000] [--openb DIR] [--trace] [--trace-out PREFIX] [--json]
 * --trace records a Chromium trace while playing and names the longest main-thread task and what filled it, and
 * counts the repaints of the editors aside (its own layer);
 * --trace-out PREFIX also writes each view's trace to PREFIX-<view>.json (DevTools → Performance → Load profile) and
 * a CPU profile of the page to PREFIX-<view>.cpuprofile.
 * `npm run bench -- --only playback` runs it through src/cli/bench.ts (which passes --json and reads the rows).
 * A machine shared with other work gives pessimistic figures: say so next to any figure you write down.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startSession, waitLoaded } from '../test/e2e/harness.ts';

interface Row {
  view: string;
  nodes: number;
  speed: number;
  wallS: number;
  frames: number;
  fps: number;
  worstFrameMs: number;
  p95FrameMs: number;
  simulatedS: number;
  /** With --trace: the longest main-thread task while playing (wall ms) and what it was; the one with most CPU time. */
  longestTaskMs?: number;
  longestTaskWhat?: string;
  mostCpuTaskMs?: number;
  mostCpuTaskWhat?: string;
  /** With --trace: paints of the editors aside's own layer while playing (nothing in it follows the frame) and their CPU ms. */
  editorsPaints?: number;
  editorsPaintCpuMs?: number;
  note: string;
}

/** A Chromium trace event (the fields used here; timestamps and durations in microseconds). */
interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, µs. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number; columnNumber?: number; nodeId?: number } };
}

/** The category a trace event's own time counts under (Chromium's devtools.timeline names). */
function categoryOf(e: TraceEvent): string {
  const n = e.name;
  if (/GC|GarbageCollect/i.test(n)) return 'garbage collection';
  if (n === 'UpdateLayoutTree' || n === 'RecalculateStyles' || n === 'ParseAuthorStyleSheet') return 'style';
  if (n === 'Layout' || n === 'UpdateLayerTree' || n === 'PrePaint') return 'layout';
  if (/Paint|Composit|Raster|Commit|DrawFrame/.test(n)) return 'paint';
  if (n === 'v8.deserializeOnBackground' || /Deserialize|Serialize|MessagePort|HandlePostMessage/i.test(n)) return 'messages (structured clone)';
  if (n === 'FunctionCall' || n === 'EvaluateScript' || n === 'v8.compile' || n === 'v8.run' || n === 'V8.Execute' || n === 'TimerFire' || n === 'FireAnimationFrame' || n === 'EventDispatch') return 'script';
  return 'other';
}

/**
 * The page's main-thread tasks that made the worst frame: the longest by wall time and the longest by CPU time (a
 * task descheduled on a busy machine is long on the wall and short on the CPU, which only the second tells apart),
 * each with its CPU time by category (an event's own time: its duration less its children's, the largest first;
 * script names its longest function: a minified name, read with dist's sourcemap).
 */
export function longestTasks(events: TraceEvent[]): { wallMs: number; wallWhat: string; cpuMs: number; cpuWhat: string } {
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return { wallMs: 0, wallWhat: 'no renderer main thread in the trace', cpuMs: 0, cpuWhat: '' };
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  // The scheduler's task (older Chromiums name only the outer RunTask).
  let tasks = mine.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  if (!tasks.length) tasks = mine.filter((e) => e.name === 'RunTask');
  const cpu = (e: TraceEvent): number => e.tdur ?? e.dur!;
  const byWall = tasks.reduce<TraceEvent | null>((m, t) => (!m || t.dur! > m.dur! ? t : m), null);
  const byCpu = tasks.reduce<TraceEvent | null>((m, t) => (!m || cpu(t) > cpu(m) ? t : m), null);
  if (!byWall || !byCpu) return { wallMs: 0, wallWhat: 'no tasks in the trace', cpuMs: 0, cpuWhat: '' };
  const describe = (top: TraceEvent): string => {
    const end = top.ts + top.dur!;
    const inside = mine.filter((e) => e !== top && e.ts >= top.ts && e.ts + e.dur! <= end);
    const self = new Map<string, number>();
    let fn = { name: '', us: 0 };
    // Nesting by time: each event's own time is its CPU time less that of the events directly inside it.
    const stack: { e: TraceEvent; children: number }[] = [];
    const close = (upTo: number): void => {
      while (stack.length && stack[stack.length - 1].e.ts + stack[stack.length - 1].e.dur! <= upTo) {
        const { e, children } = stack.pop()!;
        const c = categoryOf(e);
        self.set(c, (self.get(c) ?? 0) + Math.max(0, cpu(e) - children));
        const d = e.args?.data;
        if (e.name === 'FunctionCall' && cpu(e) > fn.us) fn = { name: `${d?.functionName || '(anonymous)'} ${d?.url?.split('/').pop() ?? ''}:${d?.lineNumber ?? ''}:${d?.columnNumber ?? ''}`, us: cpu(e) };
      }
    };
    for (const e of inside) {
      close(e.ts);
      if (stack.length) stack[stack.length - 1].children += cpu(e);
      stack.push({ e, children: 0 });
    }
    close(Infinity);
    const covered = [...self.values()].reduce((a, b) => a + b, 0);
    self.set('unattributed', Math.max(0, cpu(top) - covered));
    const parts = [...self.entries()]
      .filter(([, us]) => us >= 1000)
      .sort((a, b) => b[1] - a[1])
      .map(([c, us]) => `${c} ${(us / 1000).toFixed(0)} ms${c === 'script' && fn.name ? ` (longest call ${fn.name}, ${(fn.us / 1000).toFixed(0)} ms)` : ''}`);
    return `${(top.dur! / 1000).toFixed(0)} ms wall, ${(cpu(top) / 1000).toFixed(0)} ms CPU${parts.length ? `: ${parts.join(', ')}` : ''}`;
  };
  return { wallMs: Number((byWall.dur! / 1000).toFixed(1)), wallWhat: describe(byWall), cpuMs: Number((cpu(byCpu) / 1000).toFixed(1)), cpuWhat: describe(byCpu) };
}

/**
 * Paints of the element `selector` names in a trace: Chromium's Paint events name the DOM node whose layer they
 * paint (a backend node id), so this counts the repaints of that element's own layer (a scroller's contents).
 */
async function paintsOf(page: Page, selector: string, events: TraceEvent[]): Promise<{ count: number; cpuMs: number }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    if (!nodeId) return { count: 0, cpuMs: 0 };
    const { node } = await cdp.send('DOM.describeNode', { nodeId });
    const paints = events.filter((e) => e.name === 'Paint' && e.args?.data?.nodeId === node.backendNodeId);
    return { count: paints.length, cpuMs: Number((paints.reduce((a, e) => a + (e.tdur ?? e.dur ?? 0), 0) / 1000).toFixed(1)) };
  } finally {
    await cdp.detach();
  }
}

/** Records a Chromium trace (devtools.timeline) while `during` runs. */
async function traced(page: Page, during: () => Promise<void>, profileOut?: string): Promise<TraceEvent[]> {
  const cdp = await page.context().newCDPSession(page);
  if (profileOut) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  const events: TraceEvent[] = [];
  // The protocol types the events as string maps; they are trace events (numbers where numbers are due).
  cdp.on('Tracing.dataCollected', (d) => {
    for (const e of d.value as unknown as TraceEvent[]) events.push(e);
  });
  const complete = new Promise<void>((ok) => cdp.once('Tracing.tracingComplete', () => ok()));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'toplevel', 'blink', 'cc', 'gpu'] }, transferMode: 'ReportEvents' });
  try {
    await during();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    if (profileOut) writeFileSync(profileOut, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    await cdp.detach();
  }
  return events;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Seconds from the clock's "H:MM:SS" or "Dd H:MM:SS". */
function clockSeconds(text: string): number {
  const m = /^(?:(\d+)d )?(\d+):(\d\d):(\d\d)/.exec(text.trim());
  return m ? Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) : 0;
}

/** Plays what is loaded for `seconds` of wall time at `speed` and measures the frames. */
async function measure(page: Page, view: string, seconds: number, speed: number, trace: boolean, traceOut?: string): Promise<Row> {
  await page.getByRole('combobox', { name: 'Speed' }).selectOption(String(speed));
  await page.getByRole('button', { name: 'Restart from the beginning' }).click();
  const nodes = await page.evaluate(() => {
    const label = document.querySelector('.cluster-view [aria-label^="Cluster under"]')?.getAttribute('aria-label') ?? '';
    return Number(/: (\d+) nodes/.exec(label)?.[1] ?? 0);
  });
  // A string, not a function: tsx's name helper (__name) does not exist in the page.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    const tick = (t) => {
      if (!window.__recording) return;
      window.__frames.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const t0 = await page.locator('output[aria-label="Simulated time"]').textContent();
  let frames: number[] = [];
  let t1 = null as string | null;
  const play = async (): Promise<void> => {
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(seconds * 1000);
    frames = await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __recording: boolean };
      w.__recording = false;
      return w.__frames;
    });
    t1 = await page.locator('output[aria-label="Simulated time"]').textContent();
  };
  // Tracing costs the page some time of its own: only with --trace, and its frame figures are then pessimistic.
  let longest: ReturnType<typeof longestTasks> | null = null;
  let editors: { count: number; cpuMs: number } | undefined;
  if (trace) {
    const events = await traced(page, play, traceOut ? `${traceOut}-${view.replace(/\W+/g, '-')}.cpuprofile` : undefined);
    longest = longestTasks(events);
    editors = await paintsOf(page, 'aside.editors', events);
    // The whole trace, for Chromium's DevTools (Performance → Load profile).
    if (traceOut) writeFileSync(`${traceOut}-${view.replace(/\W+/g, '-')}.json`, JSON.stringify({ traceEvents: events }));
  } else await play();
  // No actionability wait: a slow page may repaint the button between the check and the click.
  await page.evaluate(`document.querySelector('.playback button[aria-label="Pause"]')?.click()`);
  const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  const wall = (frames[frames.length - 1] - frames[0]) / 1000;
  const finished = (t1 ?? '').split(' / ')[0] === (t1 ?? '').split(' / ')[1];
  return {
    view,
    nodes,
    speed,
    wallS: Number(wall.toFixed(2)),
    frames: frames.length,
    fps: Number(((frames.length - 1) / Math.max(wall, 1e-9)).toFixed(1)),
    worstFrameMs: Number((gaps[gaps.length - 1] ?? 0).toFixed(1)),
    p95FrameMs: Number((gaps[Math.floor(gaps.length * 0.95)] ?? 0).toFixed(1)),
    simulatedS: clockSeconds(t1 ?? '') - clockSeconds(t0 ?? ''),
    ...(longest ? { longestTaskMs: longest.wallMs, longestTaskWhat: longest.wallWhat, mostCpuTaskMs: longest.cpuMs, mostCpuTaskWhat: longest.cpuWhat, editorsPaints: editors?.count, editorsPaintCpuMs: editors?.cpuMs } : {}),
    note: finished ? 'reached the end before the time was up' : '',
  };
}

async function main(): Promise<void> {
  const preset = arg('--preset') ?? 'openb-like';
  const seconds = Number(arg('--seconds') ?? 10);
  const speed = Number(arg('--speed') ?? 1000);
  const openb = arg('--openb');
  const json = process.argv.includes('--json');
  const traceOut = arg('--trace-out');
  const trace = process.argv.includes('--trace') || traceOut !== undefined;
  const s = await startSession();
  const rows: Row[] = [];
  try {
    const page = await s.open({ width: 1600, height: 1000 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await waitLoaded(page);
    await page.getByRole('combobox', { name: 'Preset scenario' }).selectOption(preset);
    await waitLoaded(page);
    await page.waitForTimeout(1000);
    rows.push(await measure(page, preset, seconds, speed, trace, traceOut));
    if (openb) {
      const nodesCsv = join(openb, 'openb_node_list_gpu_node.csv');
      const podsCsv = join(openb, 'openb_pod_list_default.csv');
      if (!existsSync(nodesCsv) || !existsSync(podsCsv)) throw new Error(`--openb ${openb}: needs openb_node_list_gpu_node.csv and openb_pod_list_default.csv`);
      await page.getByRole('button', { name: 'Import real trace…' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Import the real trace (openb)' });
      await dialog.getByLabel('Node list CSV file').setInputFiles(nodesCsv);
      await dialog.getByLabel('Pod list CSV file').setInputFiles(podsCsv);
      // The whole trace: every node and every pod (the dialog's defaults thin them out).
      await dialog.getByLabel('Keep every k-th node').fill('1');
      await dialog.getByLabel('Keep every k-th pod').fill('1');
      await dialog.getByRole('button', { name: 'Import and load' }).click();
      await dialog.waitFor({ state: 'detached', timeout: 300_000 });
      await waitLoaded(page);
      await page.waitForTimeout(1000);
      rows.push(await measure(page, 'openb full trace', seconds, speed, trace, traceOut));
    }
    if (s.problems.length) throw new Error(`console problems: ${s.problems.join('; ')}`);
  } finally {
    await s.close();
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, headless Chromium, 1600×1000, load average ${loadavg()[0].toFixed(1)} at the end`;
  if (json) console.log(JSON.stringify({ date: new Date().toISOString(), machine, rows }));
  else {
    console.log(`# playback: ${machine}, ${new Date().toISOString()}`);
    const cols = Object.keys(rows[0]) as (keyof Row)[];
    console.log(cols.join('\t'));
    for (const r of rows) console.log(cols.map((c) => String(r[c])).join('\t'));
  }
}

await main();
