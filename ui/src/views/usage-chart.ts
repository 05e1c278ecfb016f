// Tokens per day as stacked bars (input, output, cache) with the day's cost as a line, drawn as
// SVG that scales with its box. Each bar has a <title> for the exact numbers.
import { svg, html, type TemplateResult } from 'lit';
import { formatTokens, formatUsd } from '../shared/format.js';

export interface DayUsage {
  readonly date: string;
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  readonly totalCost: number;
}

const W = 720;
const H = 220;
const PAD = { top: 12, right: 72, bottom: 28, left: 48 };

export function renderUsageChart(days: readonly DayUsage[]): TemplateResult {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const tokens = (d: DayUsage) => d.input + d.output + d.cacheRead + d.cacheWrite;
  const maxTokens = Math.max(1, ...days.map(tokens));
  const maxCost = Math.max(0, ...days.map((d) => d.totalCost));
  const slot = plotW / Math.max(1, days.length);
  const barW = Math.max(2, slot * 0.7);
  const y = (v: number) => PAD.top + plotH - (v / maxTokens) * plotH;
  const costY = (v: number) => PAD.top + plotH - (maxCost > 0 ? (v / maxCost) * plotH : 0);
  const labelEvery = Math.max(1, Math.ceil(days.length / 8));
  const costPoints = days.map((d, i) => `${PAD.left + i * slot + slot / 2},${costY(d.totalCost)}`).join(' ');
  return html`<figure class="chart">
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${`Tokens per day over ${days.length} days; peak ${formatTokens(maxTokens)} tokens, highest cost ${formatUsd(maxCost)} a day`}>
      ${svg`<line class="axis" x1=${PAD.left} y1=${PAD.top + plotH} x2=${PAD.left + plotW} y2=${PAD.top + plotH}></line>
        <text class="tick" x=${PAD.left - 6} y=${PAD.top + 4} text-anchor="end">${formatTokens(maxTokens)}</text>
        <text class="tick" x=${PAD.left - 6} y=${PAD.top + plotH} text-anchor="end">0</text>
        ${maxCost > 0 ? svg`<text class="tick cost" x=${PAD.left + plotW + 6} y=${PAD.top + 4}>${formatUsd(maxCost)}</text>` : null}`}
      ${days.map((d, i) => {
        const x = PAD.left + i * slot + (slot - barW) / 2;
        const parts = [
          { cls: 'input', v: d.input },
          { cls: 'output', v: d.output },
          { cls: 'cache', v: d.cacheRead + d.cacheWrite },
        ];
        let base = 0;
        return svg`<g class="day"><title>${d.date}: ${formatTokens(d.input)} in, ${formatTokens(d.output)} out, ${formatTokens(d.cacheRead + d.cacheWrite)} cache, ${formatUsd(d.totalCost)}</title>
          ${parts.map((p) => {
            const top = y(base + p.v);
            const height = y(base) - top;
            base += p.v;
            return height > 0 ? svg`<rect class=${`bar ${p.cls}`} x=${x} y=${top} width=${barW} height=${height}></rect>` : null;
          })}
          ${i % labelEvery === 0 ? svg`<text class="tick" x=${x + barW / 2} y=${H - 8} text-anchor="middle">${d.date.slice(5)}</text>` : null}</g>`;
      })}
      ${maxCost > 0 ? svg`<polyline class="cost-line" points=${costPoints}></polyline>` : null}
    </svg>
    <figcaption class="legend"><span class="key input"></span> input <span class="key output"></span> output <span class="key cache"></span> cache
      ${maxCost > 0 ? html`<span class="key cost"></span> cost` : ''}</figcaption>
  </figure>`;
}
