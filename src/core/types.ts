// Domain vocabulary shared by every layer. Pure data, no I/O.

export const STATUSES = ["open", "in_progress", "resolved", "closed", "rejected", "merged"] as const;
export type Status = (typeof STATUSES)[number];

export const PRIORITIES = ["urgent", "high", "medium", "low"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const TIERS = ["normal", "vip", "strategic"] as const;
export type CustomerTier = (typeof TIERS)[number];

export const CHANNELS = ["phone", "email", "online", "social", "visit", "survey", "app_review", "other"] as const;
export type CustomerChannel = (typeof CHANNELS)[number];

export type Platform = "feishu" | "dingtalk" | "web";
export type Locale = "zh-CN" | "en";

/** Who did something: a platform user (id as the platform gives it) or the system itself. */
export interface Actor {
  platform: Platform | "system";
  userId: string;
  name?: string;
}

export const SYSTEM_ACTOR: Actor = { platform: "system", userId: "system", name: "ChatDesk" };

/** Roles a user holds relative to one ticket. */
export type Role = "reporter" | "handler" | "lead" | "manager" | "system";

export type Clock = () => Date;
