// A period's report as tables: one sheet each in Excel, sections of one file in CSV.
import type { Texts } from "../i18n.js";
import type { Labels } from "../labels.js";
import { duration } from "../pages/reports.js";
import { pct, type ReportData } from "../report-data.js";
import type { Cell, Table } from "./table.js";

const round1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);

export function reportTables(d: ReportData, L: Labels, tx: Texts): Table[] {
  const r = tx.t.reports;
  const e = tx.t.export;
  const s = d.summary;
  const total = d.categories.reduce((a, c) => a + c.count, 0);
  const share = (n: number) => round1(pct(n, total));
  const scope = d.departments ? d.departments.map(L.department).join("、") : r.allDepartments;
  const metric = (name: string, value: Cell): Cell[] => [name, value];

  const summary: Table = {
    name: e.sheetSummary,
    columns: [{ header: e.metric, width: 24 }, { header: e.value, width: 24 }],
    rows: [
      metric(tx.locale === "en" ? "Period" : "统计区间", `${d.period.from} ~ ${d.period.to}`),
      metric(tx.locale === "en" ? "Scope" : "范围", scope),
      metric(r.kpi.received, s.received),
      metric(r.kpi.solved, s.solved),
      metric(`${r.kpi.solveRate} (%)`, round1(pct(s.solved, s.received))),
      metric(`${r.kpi.responseOnTime} (%)`, round1(pct(s.responseOnTime, s.responseDue))),
      metric(`${r.kpi.resolutionOnTime} (%)`, round1(pct(s.resolutionOnTime, s.resolutionDue))),
      metric(r.avgResponse, duration(s.avgResponseMinutes, tx)),
      metric(r.p90Response, duration(s.p90ResponseMinutes, tx)),
      metric(r.avgResolution, duration(s.avgResolutionMinutes, tx)),
      metric(r.p90Resolution, duration(s.p90ResolutionMinutes, tx)),
      metric(r.kpi.backlog, d.backlog.active),
      metric(r.kpi.overdue, d.backlog.overdue),
      metric(r.kpi.satisfaction, d.satisfaction.average === null ? null : Math.round(d.satisfaction.average * 100) / 100),
      metric(tx.locale === "en" ? "Previous period: new tickets" : "上期新增工单", d.previous.received),
    ],
  };
  const trend: Table = {
    name: e.sheetTrend,
    columns: [
      { header: e.date, width: 12 },
      { header: r.volumeReceived },
      { header: r.volumeSolved },
      { header: `${r.slaResponse} (%)` },
      { header: `${r.slaResolution} (%)` },
      { header: fmtHeader(r.ratings) },
      { header: r.kpi.satisfaction },
    ],
    rows: d.series.map((b, i) => [
      d.period.buckets[i]!.from,
      b.received,
      b.solved,
      round1(pct(b.responseOnTime, b.responseDue)),
      round1(pct(b.resolutionOnTime, b.resolutionDue)),
      b.ratings,
      b.avgSatisfaction === null ? null : Math.round(b.avgSatisfaction * 100) / 100,
    ]),
  };
  const dist = (name: string, header: string, rows: typeof d.categories, label: (k: string) => string): Table => ({
    name,
    columns: [{ header, width: 20 }, { header: e.count }, { header: `${e.share} (%)` }],
    rows: rows.map((c) => [c.key ? label(c.key) : "—", c.count, share(c.count)]),
  });
  const problems: Table = {
    name: e.sheetProblems,
    columns: [{ header: tx.m.field.category, width: 24 }, { header: e.count }, { header: r.loadActive }, { header: tx.m.field.number, width: 16 }, { header: tx.locale === "en" ? "Title" : "标题", width: 30 }],
    rows: d.top.map((p) => [L.category(p.category, p.subCategory), p.count, p.active, p.latestNumber, p.latestTitle]),
  };
  const handlers: Table = {
    name: e.sheetHandlers,
    columns: [{ header: tx.t.list.handler, width: 14 }, { header: r.loadActive }, { header: r.loadOverdue }, { header: r.loadReceived }, { header: r.loadSolved }, { header: r.loadSatisfaction }],
    rows: d.load.map((h) => [L.person(h.handlerId), h.active, h.overdue, h.received, h.solved, h.avgSatisfaction === null ? null : Math.round(h.avgSatisfaction * 100) / 100]),
  };
  const satisfaction: Table = {
    name: e.sheetSatisfaction,
    columns: [{ header: e.score, width: 14 }, { header: e.count }],
    rows: [5, 4, 3, 2, 1].map((score) => [`${score} ${(tx.m.satisfaction as Record<number, string>)[score]}`, d.satisfaction.distribution[score - 1]!]),
  };
  return [
    summary,
    trend,
    dist(e.sheetCategories, tx.m.field.category, d.categories, (k) => L.category(k)),
    dist(r.departments, tx.m.field.department, d.byDepartment, (k) => L.department(k)),
    dist(r.channels, tx.m.field.channel, d.channels, (k) => L.channel(k)),
    problems,
    handlers,
    satisfaction,
  ];
}

/** "{n} 条评价" → "评价" as a column header. */
const fmtHeader = (template: string) => template.replace(/\{n\}\s*/, "").trim();
