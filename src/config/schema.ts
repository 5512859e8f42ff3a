// Workflow configuration: departments, people, SLA policy, calendar, keyword rules.
// Defaults (src/config/defaults.ts) follow docs/spec.md; a JSON file named by CHATDESK_CONFIG overrides any part.
import { z } from "zod";
import { cronProblem } from "../core/cron.js";
import { PRIORITIES } from "../core/types.js";
import type * as core from "../core/workflow.js";

const hhmm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, "expected HH:MM");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");

/** A person known to ChatDesk, with one id per platform. */
export const personSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  feishu: z.string().optional(),
  dingtalk: z.string().optional(),
  locale: z.enum(["zh-CN", "en"]).optional(),
  /** At most this many open tickets assigned at once (least-loaded and round-robin skip a full handler); absent = no limit. */
  capacity: z.number().int().min(1).optional(),
});

/** On-duty pattern per weekday: "mon" … "sun" → person ids. */
const rosterSchema = z.object({
  mon: z.array(z.string()).optional(),
  tue: z.array(z.string()).optional(),
  wed: z.array(z.string()).optional(),
  thu: z.array(z.string()).optional(),
  fri: z.array(z.string()).optional(),
  sat: z.array(z.string()).optional(),
  sun: z.array(z.string()).optional(),
}).strict();

export const departmentSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  nameEn: z.string().optional(),
  handlers: z.array(z.string()).default([]), // person ids
  leads: z.array(z.string()).default([]),
  managers: z.array(z.string()).default([]),
  assign: z.enum(["round_robin", "least_loaded"]).default("round_robin"),
  /** Group chat where reminders/escalations for this department go, per platform. */
  chats: z.object({ feishu: z.string().optional(), dingtalk: z.string().optional() }).default({}),
  /** Who is on duty on each weekday (weekly pattern); absent = every handler every day. Leave and swaps are set in chat (/leave). */
  roster: rosterSchema.optional(),
});

export const subCategorySchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  nameEn: z.string().optional(),
  keywords: z.array(z.string()).default([]),
  department: z.string().optional(),
});

export const categorySchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  nameEn: z.string().optional(),
  department: z.string(),
  keywords: z.array(z.string()).default([]),
  marker: z.string().optional(), // e.g. "#投诉" forces this category
  subCategories: z.array(subCategorySchema).default([]),
});

/** "2h", "30m", "3d" (d = one working day in working clock, 24h in calendar clock). */
export const durationSchema = z.string().regex(/^\d+(\.\d+)?(m|h|d)$/, "expected a duration like 30m, 4h or 3d");

export const slaTargetSchema = z.object({
  response: durationSchema,
  resolution: durationSchema,
  clock: z.enum(["working", "calendar"]),
});

export const calendarFeedSchema = z.object({
  // A pattern rather than z.url(): "{year}" is no URI character, so editors checking "format: uri" would refuse it.
  url: z
    .string()
    .regex(/^https?:\/\/\S+$/i, "expected an http(s) URL")
    .refine((u) => URL.canParse(u.replaceAll("{year}", "2027")), "not a valid URL"),
  format: z.enum(["ics", "json"]),
});

export const calendarSchema = z.object({
  timeZone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "unknown IANA time zone"),
  workdays: z.array(z.number().int().min(1).max(7)).default([1, 2, 3, 4, 5]), // ISO weekday, 1 = Monday
  hours: z
    .array(z.object({ start: hhmm, end: hhmm }))
    .min(1)
    .refine((hs) => hs.every((h, i) => h.start < h.end && (i === 0 || hs[i - 1]!.end <= h.start)), "working periods must be ordered and not overlap"),
  /**
   * "cn": mainland China's holidays and 调休 working days from the chinese-days package, and provisional
   * statutory days for years it lacks; "none": the week alone. Feeds and edits apply on top of either.
   */
  holidays: z.enum(["cn", "none"]).default("cn"),
  extraHolidays: z.array(isoDate).default([]),
  extraWorkdays: z.array(isoDate).default([]),
  /** Holiday feeds fetched at start and once a day (docs/calendar.md); "{year}" in a URL stands for this year and the next. */
  feeds: z.array(calendarFeedSchema).default([]),
  /** An ICS event whose summary contains one of these is a working day (调休 make-up day); other all-day events are days off. */
  workdayMarkers: z.array(z.string().min(1)).min(1).default(["班", "补班", "调休上班"]),
});

export const reminderSchema = z.object({
  /** Fractions of the window (0.75) or durations before the deadline ("1h"), in the policy's clock. */
  before: z.array(z.union([z.number().gt(0).lt(1), durationSchema])).default([0.75, "1h"]),
  /** After a breach, a further window of this length escalates one level up (lead → manager). */
  secondLevelAfter: durationSchema.default("4h"),
  /** Quiet time before an in-progress ticket's handler is nudged; "1d" = one working day in the working clock. */
  progressNudgeAfter: durationSchema.default("1d"),
  /** A ticket still blocked (受阻) this long after it was marked is escalated to the managers; "1d" = one working day in the working clock. */
  blockedEscalateAfter: durationSchema.default("1d"),
  /** A ticket waiting on the customer or a third party this long reminds its reporter to chase them; "3d" = three working days in the working clock. */
  waitingRemindAfter: durationSchema.default("3d"),
  /** Days (working days in the working clock) a resolved ticket waits for confirmation before it closes itself. */
  autoCloseAfterDays: z.number().int().min(1).default(3),
});

/** A node-cron expression (5 fields, or 6 with seconds), or "off" to switch a digest off. */
const cronSchema = z.string().superRefine((s, ctx) => {
  if (s === "off") return;
  const problem = cronProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** Cron expressions in the calendar's time zone. */
export const scheduleSchema = z.object({
  tick: cronSchema.default("* * * * *"),
  /** Sent only on working days of the calendar (holidays skipped, 调休 days included). */
  dailyDigest: cronSchema.default("0 9 * * *"),
  weeklyDigest: cronSchema.default("0 9 * * 1"),
  monthlyDigest: cronSchema.default("0 9 1 * *"),
});

const chatRateSchema = z.object({ messages: z.number().int().min(1), perSeconds: z.number().gt(0) });

/** Outbox pacing: at most `messages` per chat (or per updated card) within `perSeconds`; more wait their turn. */
export const deliverySchema = z.object({
  feishu: chatRateSchema.default({ messages: 5, perSeconds: 1 }),
  dingtalk: chatRateSchema.default({ messages: 20, perSeconds: 60 }),
});

export const workflowConfigSchema = z
  .object({
    locale: z.enum(["zh-CN", "en"]).default("zh-CN"),
    numberPrefix: z.string().regex(/^[A-Z]{1,6}$/, "1–6 capital letters").default("FB"),
    publicUrl: z.string().url().optional(),
    people: z.array(personSchema).default([]),
    departments: z.array(departmentSchema).min(1),
    categories: z.array(categorySchema).min(1),
    defaultCategory: z.string().default("other"),
    priorityKeywords: z.object({
      urgent: z.array(z.string()).default([]),
      high: z.array(z.string()).default([]),
      low: z.array(z.string()).default([]),
    }),
    priorityMarkers: z.record(z.string(), z.enum(PRIORITIES)).default({}),
    defaultPriority: z.enum(PRIORITIES).default("medium"),
    /** Customers whose tickets go one priority level up. */
    customers: z.array(z.object({ id: z.string().optional(), name: z.string(), tier: z.enum(["vip", "strategic"]) })).default([]),
    sla: z.object({ urgent: slaTargetSchema, high: slaTargetSchema, medium: slaTargetSchema, low: slaTargetSchema }),
    calendar: calendarSchema,
    reminders: reminderSchema.default(reminderSchema.parse({})),
    schedule: scheduleSchema.default(scheduleSchema.parse({})),
    /** Feishu/DingTalk group chats that receive digests for managers. */
    digestChats: z.object({ feishu: z.array(z.string()).default([]), dingtalk: z.array(z.string()).default([]) }).default({ feishu: [], dingtalk: [] }),
    dingtalk: z.object({ cardTemplateId: z.string().optional() }).default({}),
    delivery: deliverySchema.default(deliverySchema.parse({})),
  })
  .superRefine((cfg, ctx) => {
    const people = new Set(cfg.people.map((p) => p.id));
    const depts = new Set(cfg.departments.map((d) => d.id));
    cfg.departments.forEach((d, i) => {
      for (const key of ["handlers", "leads", "managers"] as const) {
        d[key].forEach((pid, j) => {
          if (!people.has(pid)) ctx.addIssue({ code: "custom", path: ["departments", i, key, j], message: `unknown person "${pid}"` });
        });
      }
      // A roster names the department's own handlers.
      for (const [day, ids] of Object.entries(d.roster ?? {})) {
        (ids ?? []).forEach((pid, j) => {
          if (!d.handlers.includes(pid)) ctx.addIssue({ code: "custom", path: ["departments", i, "roster", day, j], message: `"${pid}" is not a handler of ${d.id}` });
        });
      }
    });
    cfg.categories.forEach((c, i) => {
      if (!depts.has(c.department)) ctx.addIssue({ code: "custom", path: ["categories", i, "department"], message: `unknown department "${c.department}"` });
      c.subCategories.forEach((s, j) => {
        if (s.department && !depts.has(s.department))
          ctx.addIssue({ code: "custom", path: ["categories", i, "subCategories", j, "department"], message: `unknown department "${s.department}"` });
      });
    });
    if (!cfg.categories.some((c) => c.id === cfg.defaultCategory))
      ctx.addIssue({ code: "custom", path: ["defaultCategory"], message: `unknown category "${cfg.defaultCategory}"` });
  });

export type WorkflowConfig = z.output<typeof workflowConfigSchema>;
export type Person = z.output<typeof personSchema>;
export type Department = z.output<typeof departmentSchema>;
export type Category = z.output<typeof categorySchema>;
export type SlaTarget = z.output<typeof slaTargetSchema>;
export type CalendarConfig = z.output<typeof calendarSchema>;
export type CalendarFeedConfig = z.output<typeof calendarFeedSchema>;
export type ScheduleConfig = z.output<typeof scheduleSchema>;
export type DeliveryConfig = z.output<typeof deliverySchema>;

/** The parsed file must fit the core's own types (src/core/workflow.ts); a drift fails the type check here. */
type Fits<T extends U, U> = T;
export type CoreFits = [
  Fits<WorkflowConfig, core.WorkflowRules>,
  Fits<Person, core.Person>,
  Fits<Department, core.Department>,
  Fits<Category, core.Category>,
  Fits<CalendarConfig, core.CalendarConfig>,
];
