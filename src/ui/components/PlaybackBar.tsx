/** Playback: play/pause, step one event, run to the end, speed, and the timeline scrubber. */
import { createSignal, For, type JSX } from 'solid-js';
import { formatSimTime } from '../lib/format.ts';
import { SPEEDS, type Workbench } from '../stores/workbench.ts';

/** Transport controls and timeline. */
export function PlaybackBar(props: { wb: Workbench }): JSX.Element {
  const wb = props.wb;
  const duration = () => wb.layout()?.durationS ?? 0;
  const now = () => wb.frame()?.tS ?? 0;
  const [scrub, setScrub] = createSignal<number | null>(null);
  const finished = () => !!wb.frame()?.runs.every((r) => r.finished);
  return (
    <div class="playback" role="toolbar" aria-label="Playback" id="run-controls" tabindex="-1">
      <button type="button" class="primary" aria-label={wb.playing() ? 'Pause' : 'Play'} aria-keyshortcuts="Space" disabled={!wb.playing() && finished()} onClick={() => wb.toggle()}>
        {wb.playing() ? '❚❚ Pause' : '▶ Play'}
      </button>
      <button type="button" aria-label="Step one event" aria-keyshortcuts="ArrowRight" onClick={() => void wb.step()}>
        Step ›
      </button>
      <button type="button" aria-label="Run to the end" aria-keyshortcuts="End" onClick={() => void wb.runToEnd()}>
        End
      </button>
      <button type="button" aria-label="Restart from the beginning" aria-keyshortcuts="Home" onClick={() => void wb.seek(0)}>
        Restart
      </button>
      <label class="field inline">
        <span class="field-label">Speed</span>
        <select aria-label="Speed" aria-keyshortcuts="ArrowUp ArrowDown" value={String(wb.speed())} onChange={(e) => wb.setSpeed(Number(e.currentTarget.value))}>
          <For each={SPEEDS}>{(s) => <option value={s} selected={s === wb.speed()}>{s.toLocaleString('en-US')}×</option>}</For>
        </select>
      </label>
      <input
        class="timeline"
        type="range"
        min="0"
        max={duration()}
        step="1"
        value={scrub() ?? now()}
        aria-label="Timeline"
        aria-valuetext={formatSimTime(scrub() ?? now())}
        onInput={(e) => setScrub(Number(e.currentTarget.value))}
        onChange={(e) => {
          // Read the value before clearing the scrub position (which re-binds the value to the clock).
          const t = Number(e.currentTarget.value);
          void wb.seek(t).finally(() => setScrub(null));
        }}
      />
      <output class="clock" aria-label="Simulated time" aria-live="off">
        {formatSimTime(scrub() ?? now())} / {formatSimTime(duration())}
      </output>
    </div>
  );
}
