// A holiday feed host on loopback: serves what each path is set to (a body with its content type, an
// HTTP error, or nothing at all) and records every request, so tests see what ChatDesk fetched.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type FeedReply = { status?: number; type?: string; body: string } | { status: number };

export interface FakeFeedServer {
  url: string;
  set(path: string, reply: FeedReply): void;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FakeFeedServer> {
  const replies = new Map<string, FeedReply>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requests.push(path);
    const r = replies.get(path) ?? { status: 404 };
    if (!("body" in r)) {
      res.writeHead(r.status, { "content-type": "text/plain" });
      res.end(`status ${r.status}`);
      return;
    }
    res.writeHead(r.status ?? 200, { "content-type": r.type ?? "application/octet-stream" });
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set: (path, reply) => void replies.set(path, reply),
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ── feed bodies ──────────────────────────────────────────────────────────────

/**
 * A 2027 arrangement as the State Council might publish it (the tests' own, not the real one):
 * 元旦 01-01~01-03; 春节 02-05 (除夕, Fri) ~ 02-12 (Fri), with the make-up working days Sunday 01-31
 * and Saturday 02-20; 清明 04-03~04-05; 劳动节 05-01~05-05 with make-up Sunday 04-25.
 */
export const CN_2027: { name: string; date: string; isOffDay: boolean }[] = [
  ...["01", "02", "03"].map((d) => ({ name: "元旦", date: `2027-01-${d}`, isOffDay: true })),
  { name: "春节", date: "2027-01-31", isOffDay: false },
  ...["05", "06", "07", "08", "09", "10", "11", "12"].map((d) => ({ name: "春节", date: `2027-02-${d}`, isOffDay: true })),
  { name: "春节", date: "2027-02-20", isOffDay: false },
  ...["03", "04", "05"].map((d) => ({ name: "清明节", date: `2027-04-${d}`, isOffDay: true })),
  { name: "劳动节", date: "2027-04-25", isOffDay: false },
  ...["01", "02", "03", "04", "05"].map((d) => ({ name: "劳动节", date: `2027-05-${d}`, isOffDay: true })),
];

/** holiday-cn's per-year file, as https://github.com/NateScarlet/holiday-cn publishes it. */
export const holidayCnJson = (year: number, days: typeof CN_2027) =>
  JSON.stringify({
    $schema: "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json",
    $id: `https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/${year}.json`,
    year,
    papers: [],
    days,
  });

const compact = (d: string) => d.replace(/-/g, "");
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The same days as an ICS in holiday-cn's style: one all-day event per day, make-up days "上班(补…)". */
export function holidayIcs(days: typeof CN_2027, extra = ""): string {
  const events = days.map((d) =>
    [
      "BEGIN:VEVENT",
      `SUMMARY:${d.isOffDay ? `${d.name}假期` : `上班(补${d.name}假期)`}`,
      `DTSTART;VALUE=DATE:${compact(d.date)}`,
      `DTEND;VALUE=DATE:${compact(nextDay(d.date))}`,
      `DTSTAMP:20261101T000000Z`,
      `UID:${d.date}@feed.test`,
      "END:VEVENT",
    ].join("\r\n"),
  );
  return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ChatDesk tests//holidays//CN", "METHOD:PUBLISH", ...events, extra, "END:VCALENDAR"].filter(Boolean).join("\r\n") + "\r\n";
}

/** What holiday-cn's 2027.ics held before the notice: a calendar without a single event. */
export const EMPTY_ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:中国法定节假日\r\nEND:VCALENDAR\r\n";
