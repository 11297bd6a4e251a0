/**
 * PNG and SVG buttons under one planner chart: the chart's SVG made standalone (share/exportDom.ts: computed
 * styles inlined, the theme's background painted), saved as it is or drawn to a PNG at twice its size.
 */
import type { JSX } from 'solid-js';
import { downloadBlob, downloadText, standaloneSvg, svgSize, svgToPng } from '../share/exportDom.ts';

/** Export buttons for the chart inside `props.children` (the first SVG under a `[data-plan-chart]` figure). */
export function ChartExport(props: { name: string; title: string; children: JSX.Element; onError: (msg: string) => void }): JSX.Element {
  let box!: HTMLDivElement;
  const svg = (): SVGSVGElement | null => box.querySelector<SVGSVGElement>('[data-plan-chart] svg[role="img"]');
  const background = (): string => getComputedStyle(document.querySelector('.app') ?? document.body).getPropertyValue('--bg').trim() || '#0d1117';
  const save = async (kind: 'svg' | 'png'): Promise<void> => {
    const el = svg();
    if (!el) return props.onError(`${props.title}: nothing drawn yet to export`);
    const markup = standaloneSvg(el, background());
    if (kind === 'svg') return downloadText(`${props.name}.svg`, markup, 'image/svg+xml');
    try {
      const { width, height } = svgSize(el);
      downloadBlob(`${props.name}.png`, await svgToPng(markup, width, height));
    } catch (e) {
      props.onError(`${props.title}: ${(e as Error).message}`);
    }
  };
  return (
    <div class="plan-chart-box" ref={box}>
      {props.children}
      <div class="plan-chart-tools">
        <button type="button" aria-label={`Save ${props.title} as SVG`} onClick={() => void save('svg')}>
          SVG
        </button>
        <button type="button" aria-label={`Save ${props.title} as PNG`} onClick={() => void save('png')}>
          PNG
        </button>
      </div>
    </div>
  );
}
