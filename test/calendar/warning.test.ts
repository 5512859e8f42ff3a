// Nobody is surprised: from 45 days before the end of official holiday data the managers get a chat
// message once a week, in working time, naming the fix; it stops once the year is covered.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { applyCalendarEdit } from "../../src/app/calendar/edits.js";
import { tick } from "../../src/scheduler/tick.js";
import { startFakeFeishu, type FakeFeishuServer } from "../fakes/feishu-server.js";
import { teamConfig, type TestServer } from "../support/server.js";
import { clock, feishuSent, NO_DIGESTS, startRig, type Clock } from "../scheduler/support.js";

let fake: FakeFeishuServer;
beforeAll(async () => {
  fake = await startFakeFeishu();
});
afterAll(() => fake.close());

let s: TestServer;
afterEach(() => s?.close());

const PUBLIC_URL = "https://chatdesk.example.com";

async function warningsAt(c: Clock, local: string): Promise<{ to: string; text: string }[]> {
  const before = feishuSent(fake).length;
  const summary = await tick(s.ctx, c.set(local));
  await s.idle();
  expect(summary.errors).toEqual([]);
  const sent = feishuSent(fake)
    .slice(before)
    .filter((m) => m.text?.includes("节假日数据"))
    .map((m) => ({ to: m.to, text: m.text! }));
  expect(summary.calendarWarnings).toBe(sent.length);
  return sent;
}

describe("the managers' warning", () => {
  it("starts 45 days ahead, once a week in working time, names the three fixes, stops when the year is covered", async () => {
    const c = clock("2026-11-10 10:00");
    s = await startRig({ clock: c, feishu: fake, env: { PUBLIC_URL } });

    expect(await warningsAt(c, "2026-11-10 10:00")).toEqual([]); // 51 days ahead
    const first = await warningsAt(c, "2026-11-17 10:00"); // 44 days
    expect(first).toEqual([
      {
        to: "user:ou_manager_zhao",
        text:
          "【节假日数据即将用完】官方节假日数据只到 2026-12-31（还剩 44 天）。2027 年的工作时间目前按法定节日推算（暂定，不含调休），跨年工单的截止时间可能不准。请任选一种方式补上：\n" +
          '1. 订阅节假日源：在工作流配置的 calendar.feeds 中加入 {"url": "https://cdn.jsdelivr.net/gh/NateScarlet/holiday-cn@master/{year}.json", "format": "json"}\n' +
          "2. 手动录入：按国务院通知发送「/holiday 日期~日期 名称」「/workday 日期」，录完后发送「/calendar 2027 official」（也可在控制台日历页操作：https://chatdesk.example.com/console/calendar?year=2027）\n" +
          "3. 升级节假日包：「npm update chinese-days」后重新部署",
      },
    ]);
    expect(await warningsAt(c, "2026-11-17 15:00")).toEqual([]); // the same week
    expect(await warningsAt(c, "2026-11-23 03:00")).toEqual([]); // a new week, but at night
    const second = await warningsAt(c, "2026-11-23 09:30");
    expect(second.map((m) => m.to)).toEqual(["user:ou_manager_zhao"]);
    expect(second[0]!.text).toContain("（还剩 38 天）");

    // The year entered by hand and confirmed: official data now runs to 2027-12-31, no more warnings.
    await applyCalendarEdit(s.ctx, { id: "zhao", name: "赵总" }, "chat", { action: "official", year: 2027 });
    expect(await warningsAt(c, "2026-11-30 10:00")).toEqual([]);
  });

  it("goes to the digest chats when no manager is configured; keeps coming after the data has run out", async () => {
    const c = clock("2027-01-05 10:00");
    s = await startRig({ clock: c, feishu: fake, config: { ...NO_DIGESTS, departments: teamConfig.departments.map((d) => ({ ...d, managers: [] })) } });
    const sent = await warningsAt(c, "2027-01-05 10:00");
    expect(sent.map((m) => m.to)).toEqual(["oc_managers"]);
    expect(sent[0]!.text).toContain("官方节假日数据只到 2026-12-31（已过 5 天）");
    expect(sent[0]!.text).not.toContain("控制台");
  });
});
