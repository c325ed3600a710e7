/**
 * The decision boundary of a 2-D data set: the model's predicted class over a grid, each cell in its class's
 * colour (paler where the model is less sure), under the training points. The grid is painted on a small
 * canvas and embedded as an image, so a redraw is one element, not thousands.
 */
import { esc, frame, px, svgOpen, emptyChart } from '../../src/report/html/svg.js';
import { linearScale, seriesColor } from '../../src/report/html/scales.js';
import { xAxis, yAxis } from '../../src/report/html/charts/axes.js';
import type { DecisionGrid } from './protocol.js';

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The grid as a PNG data URL: class colour mixed with white by confidence (1/k → white, 1 → 55% colour). */
function gridImage(g: DecisionGrid, classes: number): string {
  const canvas = document.createElement('canvas');
  canvas.width = g.n;
  canvas.height = g.n;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(g.n, g.n);
  const chance = 1 / Math.max(2, classes);
  for (let i = 0; i < g.n * g.n; i++) {
    const [r, gr, b] = rgb(seriesColor(g.classes[i]!));
    const sure = Math.max(0, Math.min(1, (g.confidence[i]! - chance) / (1 - chance)));
    const a = 0.15 + 0.4 * sure;
    img.data[4 * i] = Math.round(255 * (1 - a) + r * a);
    img.data[4 * i + 1] = Math.round(255 * (1 - a) + gr * a);
    img.data[4 * i + 2] = Math.round(255 * (1 - a) + b * a);
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL();
}

export function boundaryChart(
  points: { x: number[]; y: number[]; label: number[] },
  g: DecisionGrid | null,
  size = 320,
): string {
  const at = g ? ` at step ${g.step}` : '';
  const label = `Decision boundary${at}: predicted class over the plane, training points on top`;
  const f = frame(size + 56, size + 40, { left: 48, right: 8, top: 8, bottom: 32 });
  if (points.x.length === 0) return emptyChart(f, label, 'no data');
  const classes = Math.max(...points.label) + 1;
  const [x0, x1] = g ? [g.x0, g.x1] : [Math.min(...points.x), Math.max(...points.x)];
  const [y0, y1] = g ? [g.y0, g.y1] : [Math.min(...points.y), Math.max(...points.y)];
  const x = linearScale([x0, x1], [0, f.innerWidth]),
    y = linearScale([y0, y1], [f.innerHeight, 0]);
  const ox = f.margin.left,
    oy = f.margin.top;
  const parts = [svgOpen(f, label, 'chart boundary'), xAxis(f, x, 'x₁'), yAxis(f, y, 'x₂')];
  if (g !== null)
    parts.push(
      `<image href="${gridImage(g, classes)}" x="${ox}" y="${oy}" width="${f.innerWidth}" height="${f.innerHeight}" ` +
        `preserveAspectRatio="none" style="image-rendering:auto"/>`,
    );
  const dots = points.x.map((v, i) => {
    const fill = seriesColor(points.label[i]!);
    return `<circle cx="${px(ox + x(v))}" cy="${px(oy + y(points.y[i]!))}" r="2.3" fill="${fill}"/>`;
  });
  parts.push(`<g class="points" stroke="#fff" stroke-width="0.5">${dots.join('')}</g>`);
  const key = Array.from(
    { length: classes },
    (_, c) =>
      `<li><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5" fill="${seriesColor(c)}"/>` +
      `</svg>${esc(`class ${c}`)}</li>`,
  );
  return `${parts.join('')}</svg><ul class="legend">${key.join('')}</ul>`;
}
