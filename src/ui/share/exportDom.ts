/**
 * Browser-side exports: downloads, SVG made standalone (computed styles inlined, CSS variables resolved), SVG to
 * PNG through a canvas, and a canvas to PNG. Everything stays on the page: nothing is uploaded.
 */

/** Saves a blob as a file through a temporary link. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Saves text as a file. */
export function downloadText(fileName: string, text: string, type: string): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

const STYLE_PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility', 'display'];

/** A copy of an SVG element as standalone markup: computed styles inlined, sizes fixed, a background painted. */
export function standaloneSvg(svg: SVGSVGElement, background?: string): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [clone, ...clone.querySelectorAll('*')];
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const target = dst[i] as SVGElement;
    const style = STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';');
    target.setAttribute('style', style);
    target.removeAttribute('class');
  });
  const box = svg.getBoundingClientRect();
  const w = Math.round(Number(svg.getAttribute('width')) || box.width);
  const h = Math.round(Number(svg.getAttribute('height')) || box.height);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(h));
  if (!clone.getAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${w} ${h}`);
  if (background) {
    const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    rect.setAttribute('width', '100%');
    rect.setAttribute('height', '100%');
    rect.setAttribute('fill', background);
    clone.insertBefore(rect, clone.firstChild);
  }
  return new XMLSerializer().serializeToString(clone);
}

/** Stacks standalone SVGs into one SVG in a grid of `cols` columns, each with its caption above it. */
export function combineSvgs(items: { title: string; svg: string; width: number; height: number }[], cols: number, background: string, color: string): string {
  const pad = 10;
  const cap = 18;
  const cw = Math.max(...items.map((i) => i.width), 1);
  const chh = Math.max(...items.map((i) => i.height), 1) + cap;
  const rows = Math.ceil(items.length / cols);
  const W = cols * (cw + pad) + pad;
  const H = rows * (chh + pad) + pad;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = items
    .map((it, k) => {
      const x = pad + (k % cols) * (cw + pad);
      const y = pad + Math.floor(k / cols) * (chh + pad);
      const inner = it.svg.replace(/^<svg\b/, `<svg x="${x}" y="${y + cap}"`);
      return `<text x="${x}" y="${y + 13}" font-family="system-ui, sans-serif" font-size="12" fill="${color}">${esc(it.title)}</text>${inner}`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><rect width="100%" height="100%" fill="${background}"/>${body}</svg>`;
}

/** Renders standalone SVG markup to a PNG at `scale` × its size. */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'sync';
    await new Promise<void>((ok, fail) => {
      img.onload = () => ok();
      img.onerror = () => fail(new Error('the SVG could not be drawn'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await canvasToPng(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A canvas as a PNG blob. */
export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('the canvas could not be encoded'))), 'image/png'));
}

/** The size an SVG was drawn at. */
export function svgSize(svg: SVGSVGElement): { width: number; height: number } {
  const box = svg.getBoundingClientRect();
  return { width: Math.round(Number(svg.getAttribute('width')) || box.width), height: Math.round(Number(svg.getAttribute('height')) || box.height) };
}
