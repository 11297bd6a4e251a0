/**
 * An inference service's request-rate curve: pick a shape (flat, diurnal, spiky), draw one with the mouse
 * (the sketch is snapped to a smooth hourly curve, stored as `points`), or load the real 22-hour curve from a
 * user-chosen `qps.csv` (Alibaba GenAI trace), scaled to a chosen peak.
 */
import { createSignal, For, Show, type JSX } from 'solid-js';
import type { DemandCurve } from '../../scenario/types.ts';
import { demandAt, peakDemand } from '../../scenario/demand.ts';
import { parseQpsCsv, scaleToPeak, type QpsPoint } from '../lib/qpsCsv.ts';
import { smoothSketch } from '../lib/sketch.ts';
import { NumberField } from './NumberField.tsx';
import { SelectField } from './SelectField.tsx';

export interface DemandEditorProps {
  name: string;
  demand: DemandCurve;
  onChange: (d: DemandCurve) => void;
  onError: (message: string) => void;
}

const W = 300;
const H = 110;
const PAD = 6;

/** Default curve for a shape, keeping the current peak. */
export function curveOfShape(shape: DemandCurve['shape'], peak: number): DemandCurve {
  const p = Math.max(1, Math.round(peak));
  switch (shape) {
    case 'flat':
      return { shape, qps: p };
    case 'diurnal':
      return { shape, peakQps: p, troughQps: Math.round(p / 10), peakHour: 14 };
    case 'spiky':
      return { shape, baseQps: Math.round(p / 5), spikeQps: p, spikesPerDay: 6, spikeMinutes: 20 };
    case 'points':
      return { shape, points: Array.from({ length: 24 }, (_, h) => ({ hour: h + 0.5, qps: Math.round(demandAt({ shape: 'diurnal', peakQps: p, troughQps: p / 10, peakHour: 14 }, (h + 0.5) * 3600) * 100) / 100 })) };
  }
}

/** Shape picker, knobs, sketch pad and file loader for one demand curve. */
export function DemandEditor(props: DemandEditorProps): JSX.Element {
  const [stroke, setStroke] = createSignal<QpsPoint[] | null>(null);
  const peak = (): number => Math.max(1, peakDemand(props.demand));
  const [drawMax, setDrawMax] = createSignal(0);
  const yMax = (): number => Math.max(drawMax(), peak() * 1.25, 1);
  const toPoint = (e: PointerEvent, el: SVGSVGElement): QpsPoint => {
    const r = el.getBoundingClientRect();
    const hx = ((e.clientX - r.left) / r.width) * W;
    const hy = ((e.clientY - r.top) / r.height) * H;
    return { hour: Math.min(23.999, Math.max(0, ((hx - PAD) / (W - 2 * PAD)) * 24)), qps: Math.max(0, (1 - (hy - PAD) / (H - 2 * PAD)) * yMax()) };
  };
  const curvePath = (): string => {
    const pts: string[] = [];
    for (let m = 0; m <= 24 * 60; m += 15) {
      const x = PAD + (m / 1440) * (W - 2 * PAD);
      const y = PAD + (1 - demandAt(props.demand, m * 60) / yMax()) * (H - 2 * PAD);
      pts.push(`${x.toFixed(1)},${y.toFixed(1)}`);
    }
    return `M${pts.join('L')}`;
  };
  const strokePath = (): string => {
    const s = stroke();
    if (!s || s.length === 0) return '';
    return `M${s.map((p) => `${(PAD + (p.hour / 24) * (W - 2 * PAD)).toFixed(1)},${(PAD + (1 - p.qps / yMax()) * (H - 2 * PAD)).toFixed(1)}`).join('L')}`;
  };
  const [peakForFile, setPeakForFile] = createSignal(0);
  const loadFile = async (file: File): Promise<void> => {
    try {
      const pts = parseQpsCsv(await file.text());
      props.onChange({ shape: 'points', points: scaleToPeak(pts, peakForFile() || peak()) });
    } catch (e) {
      props.onError(`${file.name}: ${(e as Error).message}`);
    }
  };
  const d = () => props.demand;
  return (
    <div class="demand-editor">
      <SelectField
        label="Request rate"
        ariaLabel={`Request-rate shape of ${props.name}`}
        value={d().shape}
        options={[
          { value: 'flat', label: 'Flat' },
          { value: 'diurnal', label: 'Diurnal (day/night)' },
          { value: 'spiky', label: 'Spiky' },
          { value: 'points', label: 'Drawn / loaded curve' },
        ]}
        onChange={(v) => props.onChange(curveOfShape(v as DemandCurve['shape'], peak()))}
      />
      <div class="row">
        <Show when={d().shape === 'flat' && (d() as Extract<DemandCurve, { shape: 'flat' }>)}>
          {(c) => <NumberField label="QPS" ariaLabel={`Requests per second of ${props.name}`} min={0} value={c().qps} onCommit={(v) => props.onChange({ ...c(), qps: v })} />}
        </Show>
        <Show when={d().shape === 'diurnal' && (d() as Extract<DemandCurve, { shape: 'diurnal' }>)}>
          {(c) => (
            <>
              <NumberField label="Peak" unit="req/s" ariaLabel={`Peak requests per second of ${props.name}`} min={0} value={c().peakQps} onCommit={(v) => props.onChange({ ...c(), peakQps: v })} />
              <NumberField label="Trough" unit="req/s" ariaLabel={`Night requests per second of ${props.name}`} min={0} value={c().troughQps} onCommit={(v) => props.onChange({ ...c(), troughQps: v })} />
              <NumberField label="Peak hour" ariaLabel={`Peak hour of ${props.name}`} min={0} max={24} value={c().peakHour} onCommit={(v) => props.onChange({ ...c(), peakHour: v })} />
            </>
          )}
        </Show>
        <Show when={d().shape === 'spiky' && (d() as Extract<DemandCurve, { shape: 'spiky' }>)}>
          {(c) => (
            <>
              <NumberField label="Base" unit="req/s" ariaLabel={`Base requests per second of ${props.name}`} min={0} value={c().baseQps} onCommit={(v) => props.onChange({ ...c(), baseQps: v })} />
              <NumberField label="Spike" unit="req/s" ariaLabel={`Spike requests per second of ${props.name}`} min={0} value={c().spikeQps} onCommit={(v) => props.onChange({ ...c(), spikeQps: v })} />
              <NumberField label="Spikes/day" integer ariaLabel={`Spikes per day of ${props.name}`} min={0} value={c().spikesPerDay} onCommit={(v) => props.onChange({ ...c(), spikesPerDay: v })} />
            </>
          )}
        </Show>
      </div>
      <svg
        class="sketch"
        width={W}
        height={H}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Request rate of ${props.name} over the day, peak ${peak().toFixed(1)} requests per second. Draw on it with the mouse to sketch a new curve.`}
        onPointerDown={(e) => {
          setDrawMax(yMax());
          (e.currentTarget as SVGSVGElement).setPointerCapture(e.pointerId);
          setStroke([toPoint(e, e.currentTarget as SVGSVGElement)]);
        }}
        onPointerMove={(e) => {
          const s = stroke();
          if (s) setStroke([...s, toPoint(e, e.currentTarget as SVGSVGElement)]);
        }}
        onPointerUp={() => {
          const s = stroke();
          setStroke(null);
          setDrawMax(0);
          if (s && s.length > 1) props.onChange({ shape: 'points', points: smoothSketch(s) });
        }}
      >
        <rect x="0" y="0" width={W} height={H} class="sketch-bg" />
        <For each={[0, 6, 12, 18, 24]}>
          {(h) => (
            <text x={PAD + (h / 24) * (W - 2 * PAD)} y={H - 1} class="sketch-tick" text-anchor="middle">
              {h}h
            </text>
          )}
        </For>
        <path d={curvePath()} class="sketch-curve" />
        <path d={strokePath()} class="sketch-stroke" />
      </svg>
      <div class="row">
        <NumberField label="Peak for file" unit="req/s" ariaLabel={`Peak requests per second when loading qps.csv into ${props.name}`} min={0} value={peakForFile() || Math.round(peak())} onCommit={setPeakForFile} />
        <label class="button file-button">
          Load qps.csv…
          <input
            type="file"
            accept=".csv,text/csv"
            aria-label={`Load the real request curve (qps.csv) into ${props.name}`}
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              if (f) void loadFile(f);
              e.currentTarget.value = '';
            }}
          />
        </label>
      </div>
    </div>
  );
}
