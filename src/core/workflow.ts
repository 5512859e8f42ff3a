// The core's view of the workflow: the people, departments, categories, SLA policy and calendar the domain
// rules read. The core owns these types; src/config/schema.ts parses the workflow file into values that must
// fit them (a type check there fails when the two drift apart), so the core never imports config.
import type { Locale, Priority } from "./types.js";

/** A person known to ChatDesk, with one id per platform. */
export interface Person {
  id: string;
  name: string;
  feishu?: string;
  dingtalk?: string;
  locale?: Locale;
  /** At most this many open tickets (待处理 + 处理中) assigned at once; absent = no limit. */
  capacity?: number;
}

export const WEEKDAY_KEYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

export type AssignStrategy = "round_robin" | "least_loaded";

export interface Department {
  id: string;
  name: string;
  nameEn?: string;
  /** Person ids. */
  handlers: string[];
  leads: string[];
  managers: string[];
  assign: AssignStrategy;
  /** Group chat per platform where this department's reminders and escalations go. */
  chats: { feishu?: string; dingtalk?: string };
  /** Who is on duty on each weekday (person ids); absent = every handler, every day. A day left out has nobody. */
  roster?: Partial<Record<WeekdayKey, string[]>>;
}

export interface SubCategory {
  id: string;
  name: string;
  nameEn?: string;
  keywords: string[];
  department?: string;
}

export interface Category {
  id: string;
  name: string;
  nameEn?: string;
  department: string;
  keywords: string[];
  /** e.g. "#投诉": forces this category. */
  marker?: string;
  subCategories: SubCategory[];
}

export type SlaClock = "working" | "calendar";

/** Durations like "30m", "4h", "3d" (d = one working day in the working clock). */
export interface SlaTarget {
  response: string;
  resolution: string;
  clock: SlaClock;
}

export type SlaPolicy = Record<Priority, SlaTarget>;

export interface CalendarConfig {
  timeZone: string;
  /** ISO weekdays, 1 = Monday. */
  workdays: number[];
  hours: { start: string; end: string }[];
  /** "cn": Chinese statutory holidays and 调休 working days; "none": weekdays only. */
  holidays: "cn" | "none";
  extraHolidays: string[];
  extraWorkdays: string[];
}

export interface Customer {
  id?: string;
  name: string;
  tier: "vip" | "strategic";
}

/** What classification, routing and the SLA maths read from the workflow. */
export interface WorkflowRules {
  locale: Locale;
  people: Person[];
  departments: Department[];
  categories: Category[];
  defaultCategory: string;
  priorityKeywords: { urgent: string[]; high: string[]; low: string[] };
  priorityMarkers: Record<string, Priority>;
  defaultPriority: Priority;
  customers: Customer[];
  sla: SlaPolicy;
}
