// Reports for a period: headline figures against the previous period, then the charts managers ask
// for — volume trend, categories, SLA on time, satisfaction, recurring problems, handler load.
import { formatMinutes } from "../../../cards/duration.js";
import { fmt } from "../../../cards/i18n/index.js";
import type { Labels } from "../labels.js";
import { pct, type ReportData } from "../report-data.js";
import { CONSOLE_BASE } from "../settings.js";
import { BarChart, ColumnChart, LineChart, PALETTE, type BarRow } from "./charts.js";
import { Layout, type PageContext } from "./layout.js";
import { RecurringSection } from "./recurring.js";
import type { Texts } from "../i18n.js";

export interface ReportsPageProps {
  page: PageContext;
  labels: Labels;
  data: ReportData;
  /** The period's query string (for exports and the custom form). */
  search: string;
  /** Who is on duty today, what waits on customers, time waiting vs worked, each handler's capacity. */
  duty?: DutySectionData;
}

export interface DutySectionData {
  onDuty: { department: string; people: string[] }[];
  waitingNow: number;
  avgWaiting: number | null;
  avgWorking: number | null;
  capacity: Record<string, number | undefined>;
}

function LoadLegend(props: { r: Texts["t"]["reports"] }) {
  return (
    <div class="legend">
      <span>
        <i style={`background:${PALETTE[0]}`} />
        {props.r.loadActive}
      </span>
      <span>
        <i style={`background:${PALETTE[4]}`} />
        {props.r.loadOverdue}
      </span>
    </div>
  );
}

/** 值班与等待: on duty today per department, what waits now, and the period's time waiting vs worked. */
function DutySection(props: { duty?: DutySectionData; tx: Texts }) {
  const d = props.duty;
  if (!d) return null;
  const g = props.tx.m.digest;
  const len = (v: number | null) => formatMinutes(v, props.tx.locale, { days: false });
  return (
    <section class="card full" id="duty">
      <h2>{g.onDuty}</h2>
      <ul class="small">
        {d.onDuty.map((x) => (
          <li>
            {x.department}
            {props.tx.locale === "en" ? ": " : "："}
            {x.people.join(props.tx.locale === "en" ? ", " : "、") || g.nobodyOnDuty}
          </li>
        ))}
      </ul>
      <p id="waiting-vs-working">
        {g.waitingVsWorking}
        {props.tx.locale === "en" ? ": " : "："}
        {fmt(g.waitingVsWorkingValue, { waiting: len(d.avgWaiting), working: len(d.avgWorking) })} · {fmt(g.waitingNow, { n: d.waitingNow })}
      </p>
    </section>
  );
}

export function duration(minutes: number | null, tx: Texts): string {
  if (minutes === null) return "—";
  const r = tx.t.reports;
  if (minutes < 90) return fmt(r.minutes, { n: Math.round(minutes) });
  if (minutes < 48 * 60) return fmt(r.hours, { n: Math.round((minutes / 60) * 10) / 10 });
  return fmt(r.days, { n: Math.round((minutes / 1440) * 10) / 10 });
}

const percentText = (v: number | null) => (v === null ? "—" : `${Math.round(v * 10) / 10}%`);

function Kpi(props: { id: string; label: string; value: string; delta?: { text: string; good: boolean | null } }) {
  return (
    <div class="kpi" data-kpi={props.id}>
      <div class="small muted">{props.label}</div>
      <div class="v">{props.value}</div>
      {props.delta && <div class={`d ${props.delta.good === null ? "muted" : props.delta.good ? "up" : "down"}`}>{props.delta.text}</div>}
    </div>
  );
}

export function ReportsPage(p: ReportsPageProps) {
  const { labels: L, data: d } = p;
  const tx = p.page.tx;
  const r = tx.t.reports;
  const { period, summary: s, previous: prev } = d;
  const labels = period.buckets.map((b) => b.label);

  // Change against the previous period, coloured by whether up is good for this figure.
  // upIsGood null: a change that is neither good nor bad in itself (volume).
  const delta = (now: number | null, before: number | null, upIsGood: boolean | null, unit: "" | "pt" = "") => {
    if (now === null || before === null) return undefined;
    const diff = now - before;
    const text = unit === "pt" ? `${diff >= 0 ? "+" : ""}${Math.round(diff * 10) / 10}pt` : `${diff >= 0 ? "+" : ""}${Math.round(diff * 100) / 100}`;
    return { text: fmt(r.vsPrev, { delta: text }), good: diff === 0 || upIsGood === null ? null : diff > 0 === upIsGood };
  };
  const solveRate = pct(s.solved, s.received);
  const respRate = pct(s.responseOnTime, s.responseDue);
  const resRate = pct(s.resolutionOnTime, s.resolutionDue);
  const sat = d.satisfaction;

  const total = Math.max(1, d.categories.reduce((a, c) => a + c.count, 0));
  const share = (n: number) => `${n} · ${Math.round((n / total) * 100)}%`;
  const distribution = (rows: typeof d.categories, label: (k: string) => string): BarRow[] =>
    rows.map((c, i) => ({ label: c.key ? label(c.key) : "—", parts: [{ value: c.count, color: PALETTE[i % PALETTE.length]! }], note: share(c.count) }));

  const loadRows: BarRow[] = d.load.slice(0, 12).map((h) => ({
    label: L.person(h.handlerId),
    parts: [
      { value: h.active - h.overdue, color: PALETTE[0]!, name: r.loadActive },
      { value: h.overdue, color: PALETTE[4]!, name: r.loadOverdue },
    ],
    note: h.overdue ? fmt(r.loadNote, { active: h.active, overdue: h.overdue }) : String(h.active),
  }));

  const periodLink = (kind: "week" | "month") => (
    <a class={`btn ${period.kind === kind ? "primary" : ""}`} href={`${CONSOLE_BASE}/reports?period=${kind}`}>
      {kind === "week" ? r.week : r.month}
    </a>
  );

  return (
    <Layout page={p.page} title={r.title} active="reports">
      <section class="card">
        <div class="row" style="justify-content:space-between">
          <h1 style="margin:0">{r.title}</h1>
          <span class="muted" id="period-range">
            {fmt(r.range, { from: period.from, to: period.to })} · {d.departments ? fmt(r.scope, { depts: d.departments.map(L.department).join("、") }) : r.allDepartments}
          </span>
        </div>
        <form class="periods" method="get" action={`${CONSOLE_BASE}/reports`} style="margin-top:10px">
          {periodLink("week")}
          {periodLink("month")}
          <input type="hidden" name="period" value="custom" />
          <div class="range">
            <div>
              <label for="r-from">{r.from}</label>
              <input id="r-from" type="date" name="from" value={period.from} required />
            </div>
            <div>
              <label for="r-to">{r.to}</label>
              <input id="r-to" type="date" name="to" value={period.to} required />
            </div>
          </div>
          <button class={`btn ${period.kind === "custom" ? "primary" : ""}`} type="submit">
            {r.show}
          </button>
          <a class="btn" href={`${CONSOLE_BASE}/reports/export.csv${p.search}`} download>
            {r.exportCsv}
          </a>
          <a class="btn" href={`${CONSOLE_BASE}/reports/export.xlsx${p.search}`} download>
            {r.exportXlsx}
          </a>
        </form>
      </section>

      <div class="kpis">
        <Kpi id="received" label={r.kpi.received} value={String(s.received)} delta={delta(s.received, prev.received, null)} />
        <Kpi id="solveRate" label={r.kpi.solveRate} value={percentText(solveRate)} delta={delta(solveRate, pct(prev.solved, prev.received), true, "pt")} />
        <Kpi id="responseOnTime" label={r.kpi.responseOnTime} value={percentText(respRate)} delta={delta(respRate, pct(prev.responseOnTime, prev.responseDue), true, "pt")} />
        <Kpi id="resolutionOnTime" label={r.kpi.resolutionOnTime} value={percentText(resRate)} delta={delta(resRate, pct(prev.resolutionOnTime, prev.resolutionDue), true, "pt")} />
        <Kpi id="backlog" label={r.kpi.backlog} value={String(d.backlog.active)} />
        <Kpi id="overdue" label={r.kpi.overdue} value={String(d.backlog.overdue)} />
        <Kpi id="satisfaction" label={r.kpi.satisfaction} value={sat.average === null ? "—" : sat.average.toFixed(2)} delta={delta(sat.average, d.previousSatisfaction.average, true)} />
        <Kpi id="solved" label={r.kpi.solved} value={String(s.solved)} />
      </div>

      <div class="charts">
        <section class="card chart" id="chart-volume">
          <h2>{r.volume}</h2>
          <ColumnChart
            title={r.volume}
            labels={labels}
            series={[
              { name: r.volumeReceived, color: PALETTE[0]!, values: d.series.map((b) => b.received) },
              { name: r.volumeSolved, color: PALETTE[1]!, values: d.series.map((b) => b.solved) },
            ]}
          />
        </section>
        <section class="card chart" id="chart-categories">
          <h2>{r.categories}</h2>
          {d.categories.length ? <BarChart title={r.categories} rows={distribution(d.categories, (k) => L.category(k))} /> : <p class="muted">{r.noData}</p>}
        </section>
        <section class="card chart" id="chart-sla">
          <h2>{r.sla}</h2>
          <LineChart
            title={r.sla}
            labels={labels}
            percent
            series={[
              { name: r.slaResponse, color: PALETTE[0]!, values: d.series.map((b) => pct(b.responseOnTime, b.responseDue)) },
              { name: r.slaResolution, color: PALETTE[2]!, values: d.series.map((b) => pct(b.resolutionOnTime, b.resolutionDue)) },
            ]}
          />
          <dl class="fields small" style="margin-top:8px">
            <dt>{r.avgResponse}</dt>
            <dd>{duration(s.avgResponseMinutes, tx)}</dd>
            <dt>{r.p90Response}</dt>
            <dd>{duration(s.p90ResponseMinutes, tx)}</dd>
            <dt>{r.avgResolution}</dt>
            <dd>{duration(s.avgResolutionMinutes, tx)}</dd>
            <dt>{r.p90Resolution}</dt>
            <dd>{duration(s.p90ResolutionMinutes, tx)}</dd>
          </dl>
        </section>
        <section class="card chart" id="chart-satisfaction">
          <h2>{r.satisfactionTrend}</h2>
          <LineChart
            title={r.satisfactionTrend}
            labels={labels}
            yMax={5}
            yStep={1}
            format={(v) => v.toFixed(2)}
            series={[{ name: r.kpi.satisfaction, color: PALETTE[3]!, values: d.series.map((b) => (b.ratings ? b.avgSatisfaction : null)) }]}
          />
          <h3 style="margin-top:10px">
            {r.satisfactionDist} <span class="muted small">{fmt(r.ratings, { n: sat.ratings })}</span>
          </h3>
          <BarChart
            title={r.satisfactionDist}
            rows={[5, 4, 3, 2, 1].map((score) => ({
              label: `${score} ${(tx.m.satisfaction as Record<number, string>)[score]}`,
              parts: [{ value: sat.distribution[score - 1]!, color: score >= 4 ? PALETTE[1]! : score === 3 ? PALETTE[6]! : PALETTE[4]! }],
            }))}
          />
        </section>
        <RecurringSection groups={d.recurring} r={r} /><section class="card chart" id="chart-top">
          <h2>{r.top}</h2>
          {d.top.length ? (
            <>
              <BarChart title={r.top} labelWidth={150} rows={d.top.map((x, i) => ({ label: L.category(x.category, x.subCategory), parts: [{ value: x.count, color: PALETTE[i % PALETTE.length]! }] }))} />
              <table class="small" style="margin-top:6px">
                <tbody>
                  {d.top.map((x) => (
                    <tr>
                      <td>{L.category(x.category, x.subCategory)}</td>
                      <td class="num">{x.count}</td>
                      <td>
                        <a href={`${CONSOLE_BASE}/tickets/${x.latestNumber}`}>{fmt(r.topExample, { number: x.latestNumber })}</a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p class="muted">{r.noData}</p>
          )}
        </section>
        <section class="card chart" id="chart-load">
          <h2>{r.load}</h2>
          {d.load.length ? (
            <>
              <BarChart title={r.load} rows={loadRows} noteWidth={96} />
              <LoadLegend r={r} />
              <table class="small stack" style="margin-top:6px">
                <thead>
                  <tr>
                    <th>{tx.t.list.handler}</th>
                    <th class="num">{r.loadActive}</th>
                    <th class="num">{r.loadOverdue}</th>
                    <th class="num">{r.loadReceived}</th>
                    <th class="num">{r.loadSolved}</th>
                    <th class="num">{r.loadSatisfaction}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.load.map((h) => (
                    <tr data-handler={h.handlerId}>
                      <td data-label={tx.t.list.handler}>{L.person(h.handlerId)}</td>
                      <td class="num" data-label={r.loadActive}>
                        {p.duty?.capacity[h.handlerId] ? `${h.active} / ${p.duty.capacity[h.handlerId]}` : h.active}
                      </td>
                      <td class="num" data-label={r.loadOverdue}>
                        {h.overdue}
                      </td>
                      <td class="num" data-label={r.loadReceived}>
                        {h.received}
                      </td>
                      <td class="num" data-label={r.loadSolved}>
                        {h.solved}
                      </td>
                      <td class="num" data-label={r.loadSatisfaction}>
                        {h.avgSatisfaction === null ? "—" : h.avgSatisfaction.toFixed(1)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p class="muted">{r.noData}</p>
          )}
        </section>
        <section class="card chart" id="chart-departments">
          <h2>{r.departments}</h2>
          {d.byDepartment.length ? <BarChart title={r.departments} rows={distribution(d.byDepartment, (k) => L.department(k))} /> : <p class="muted">{r.noData}</p>}
        </section>
        <section class="card chart" id="chart-channels">
          <h2>{r.channels}</h2>
          {d.channels.length ? <BarChart title={r.channels} rows={distribution(d.channels, (k) => L.channel(k))} /> : <p class="muted">{r.noData}</p>}
        </section>
        <DutySection duty={p.duty} tx={tx} />
        {sat.unsatisfied.length > 0 && (
          <section class="card full" id="unsatisfied">
            <h2>{r.unsatisfied}</h2>
            <table class="small stack">
              <tbody>
                {sat.unsatisfied.map((u) => (
                  <tr>
                    <td data-label={tx.m.field.number}>
                      <a href={`${CONSOLE_BASE}/tickets/${u.number}`}>{u.number}</a>
                    </td>
                    <td class="title">{u.title}</td>
                    <td data-label={tx.m.field.satisfaction}>{"★".repeat(u.score)}</td>
                    <td data-label={tx.t.detail.customerComment}>{u.comment ?? ""}</td>
                    <td data-label={tx.t.list.handler}>{L.person(u.handlerId)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </div>
    </Layout>
  );
}
