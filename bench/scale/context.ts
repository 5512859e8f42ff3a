// An AppContext over the seeded database for calling the scheduler and report code directly: the
// bench's config and calendar, a fixed clock, and senders that must never be reached (delivery is not
// what these benches time; the outbox rows a tick creates are counted instead).
import type { AppContext } from "../../src/app/context.js";
import { parseWorkflowConfig } from "../../src/config/load.js";
import { createLiveCalendar } from "../../src/app/calendar/live.js";
import { createLogger } from "../../src/log.js";
import type { ChatPlatform, ChatSender } from "../../src/platform/port.js";
import type { Db } from "../../src/store/db.js";
import { BENCH_CONFIG } from "../lib/platforms.js";

const unreachable = (platform: ChatPlatform): ChatSender => {
  const no = async (): Promise<never> => {
    throw new Error(`bench: ${platform} delivery is not part of the data-path bench`);
  };
  return { platform, sendCard: no, updateCard: no, sendText: no };
};

export function benchContext(db: Db, now: Date): AppContext {
  const config = parseWorkflowConfig(BENCH_CONFIG, "bench config");
  const log = createLogger("warn", { service: "bench" }, () => {});
  const calendarData = createLiveCalendar(config.calendar, log);
  return {
    db,
    config,
    calendar: calendarData.view,
    calendarData,
    now: () => now,
    log,
    senders: { feishu: unreachable("feishu"), dingtalk: unreachable("dingtalk") },
    // Deferred work is delivery: not run.
    defer: () => {},
    publicUrl: "https://chatdesk.example.com",
  };
}
