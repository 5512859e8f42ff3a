// Charts drawn on the server as inline SVG: nothing to download, works offline and inside the
// platforms' in-app browsers. The viewBox is narrow so text stays legible when scaled to a phone.
const W = 420;
const FONT = 11;
const GRID = "#e4e5e7";
const AXIS_TEXT = "#8f959e";

export const PALETTE = ["#3370ff", "#34c724", "#ff8800", "#7f3bf5", "#f54a45", "#14c0ff", "#ffc60a", "#8f959e"];

export interface Series {
  name: string;
  color: string;
  values: (number | null)[];
}

/** A round axis maximum (1, 2 or 5 × 10^k) with its tick step, at most 5 steps. */
export function niceScale(max: number): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 1 };
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const nice = Math.max(step, Math.ceil(max / step) * step);
  // Counts never need fractional steps.
  return step < 1 && max >= 1 ? { max: Math.ceil(max), step: 1 } : { max: nice, step };
}

const fmtTick = (v: number, percent?: boolean) => (percent ? `${Math.round(v)}%` : Number.isInteger(v) ? String(v) : v.toFixed(1));

interface Frame {
  labels: string[];
  yMax: number;
  step: number;
  percent?: boolean;
  height: number;
}

const PAD = { left: 34, right: 8, top: 10, bottom: 22 };

/** Axes, grid and x labels shared by the column and line charts; returns the coordinate helpers. */
function frame(f: Frame) {
  const plotW = W - PAD.left - PAD.right;
  const plotH = f.height - PAD.top - PAD.bottom;
  const n = Math.max(1, f.labels.length);
  const slot = plotW / n;
  const x = (i: number) => PAD.left + (i + 0.5) * slot;
  const y = (v: number) => PAD.top + plotH - (Math.min(v, f.yMax) / f.yMax) * plotH;
  const every = Math.ceil(n / 7);
  const ticks: number[] = [];
  for (let v = 0; v <= f.yMax + 1e-9; v += f.step) ticks.push(v);
  const axes = (
    <g font-size={FONT} fill={AXIS_TEXT}>
      {ticks.map((v) => (
        <>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke={GRID} stroke-width="1" />
          <text x={PAD.left - 4} y={y(v) + 4} text-anchor="end">
            {fmtTick(v, f.percent)}
          </text>
        </>
      ))}
      {f.labels.map((l, i) =>
        i % every === 0 ? (
          <text x={x(i)} y={f.height - 6} text-anchor="middle">
            {l}
          </text>
        ) : null,
      )}
    </g>
  );
  return { x, y, slot, axes, plotH };
}

function Svg(props: { title: string; height: number; children?: unknown }) {
  return (
    <svg viewBox={`0 0 ${W} ${props.height}`} role="img" aria-label={props.title} xmlns="http://www.w3.org/2000/svg">
      <title>{props.title}</title>
      {props.children}
    </svg>
  );
}

export function Legend(props: { series: { name: string; color: string }[] }) {
  return (
    <div class="legend">
      {props.series.map((s) => (
        <span>
          <i style={`background:${s.color}`} />
          {s.name}
        </span>
      ))}
    </div>
  );
}

/** Grouped columns, one group per bucket (volume: new vs resolved). */
export function ColumnChart(props: { title: string; labels: string[]; series: Series[]; height?: number }) {
  const height = props.height ?? 200;
  const max = Math.max(0, ...props.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const scale = niceScale(max);
  const f = frame({ labels: props.labels, yMax: scale.max, step: scale.step, height });
  const k = props.series.length;
  const bar = Math.max(1, (f.slot * 0.8) / k);
  return (
    <>
      <Svg title={props.title} height={height}>
        {f.axes}
        {props.series.map((s, j) => (
          <g fill={s.color} data-series={s.name}>
            {s.values.map((v, i) =>
              v ? (
                <rect x={f.x(i) - (bar * k) / 2 + j * bar} y={f.y(v)} width={bar * 0.92} height={Math.max(0.5, f.y(0) - f.y(v))} rx="1">
                  <title>{`${props.labels[i]} ${s.name}: ${v}`}</title>
                </rect>
              ) : null,
            )}
          </g>
        ))}
      </Svg>
      <Legend series={props.series} />
    </>
  );
}

/** Lines over the buckets; null values leave a gap (no data that day). */
export function LineChart(props: { title: string; labels: string[]; series: Series[]; percent?: boolean; yMax?: number; yStep?: number; height?: number; format?: (v: number) => string }) {
  const height = props.height ?? 200;
  const max = props.yMax ?? Math.max(0, ...props.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const scale = props.percent ? { max: 100, step: 25 } : props.yMax ? { max: props.yMax, step: props.yStep ?? props.yMax / 4 } : niceScale(max);
  const f = frame({ labels: props.labels, yMax: scale.max, step: scale.step, percent: props.percent, height });
  const fmt = props.format ?? ((v: number) => (props.percent ? `${Math.round(v)}%` : String(Math.round(v * 10) / 10)));
  const dots = props.labels.length <= 45;
  return (
    <>
      <Svg title={props.title} height={height}>
        {f.axes}
        {props.series.map((s) => {
          let d = "";
          let pen = false;
          s.values.forEach((v, i) => {
            if (v === null) {
              pen = false;
              return;
            }
            d += `${pen ? "L" : "M"}${f.x(i).toFixed(1)},${f.y(v).toFixed(1)}`;
            pen = true;
          });
          return (
            <g data-series={s.name}>
              {d && <path d={d} fill="none" stroke={s.color} stroke-width="2" stroke-linejoin="round" stroke-linecap="round" />}
              {dots &&
                s.values.map((v, i) =>
                  v === null ? null : (
                    <circle cx={f.x(i)} cy={f.y(v)} r="2.6" fill="#fff" stroke={s.color} stroke-width="1.5">
                      <title>{`${props.labels[i]} ${s.name}: ${fmt(v)}`}</title>
                    </circle>
                  ),
                )}
            </g>
          );
        })}
      </Svg>
      <Legend series={props.series} />
    </>
  );
}

export interface BarRow {
  label: string;
  /** Stacked segments, drawn left to right. */
  parts: { value: number; color: string; name?: string }[];
  /** Text after the bar (defaults to the total). */
  note?: string;
}

/** Approximate width in Latin-letter units at the chart font: CJK (and full-width) characters are about twice as wide. */
const charWidth = (ch: string) => (/[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF00-\uFFEF]/.test(ch) ? 1.85 : 1);

/** Shorten a label to `units` wide, with an ellipsis when cut. */
export function clip(s: string, units: number): string {
  let used = 0;
  let out = "";
  for (const ch of s) {
    used += charWidth(ch);
    if (used > units) return `${out}…`;
    out += ch;
  }
  return s;
}

/** Horizontal (optionally stacked) bars with a label column: distributions, top problems, load. */
export function BarChart(props: { title: string; rows: BarRow[]; labelWidth?: number; noteWidth?: number }) {
  const rowH = 24;
  const labelW = props.labelWidth ?? 118;
  // About 6.6 px per Latin letter at 12 px, less the gap before the bar and room for the ellipsis.
  const labelUnits = Math.floor((labelW - 8) / 6.6) - 1;
  const noteW = props.noteWidth ?? 62;
  const height = Math.max(1, props.rows.length) * rowH + 6;
  const max = Math.max(1, ...props.rows.map((r) => r.parts.reduce((a, p) => a + p.value, 0)));
  const span = W - labelW - noteW - 8;
  return (
    <Svg title={props.title} height={height}>
      <g font-size={FONT + 1}>
        {props.rows.map((r, i) => {
          const y = 3 + i * rowH;
          let x = labelW;
          const total = r.parts.reduce((a, p) => a + p.value, 0);
          return (
            <g data-row={r.label}>
              <text x={labelW - 6} y={y + 15} text-anchor="end" fill="#1f2329">
                {clip(r.label, labelUnits)}
                <title>{r.label}</title>
              </text>
              <rect x={labelW} y={y + 4} width={span} height={14} fill="#f2f3f5" rx="2" />
              {r.parts.map((p) => {
                const w = (p.value / max) * span;
                const el = w > 0 ? <rect x={x} y={y + 4} width={w} height={14} fill={p.color} rx="2"><title>{`${r.label}${p.name ? ` ${p.name}` : ""}: ${p.value}`}</title></rect> : null;
                x += w;
                return el;
              })}
              <text x={labelW + span + 6} y={y + 15} fill="#646a73">
                {r.note ?? String(total)}
              </text>
            </g>
          );
        })}
      </g>
    </Svg>
  );
}
