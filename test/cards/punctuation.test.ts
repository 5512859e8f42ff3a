// The ticket card's reporter line with the message's author, as each locale writes it: full-width
// brackets and colon in Chinese, ASCII ones with spaces in English (no "（message author：…）").
import { describe, expect, it } from "vitest";
import { ticketCard, type TicketCardInput } from "../../cards/ticket.js";
import { renderFeishuCard } from "../../src/adapter/feishu/render-card.js";
import type { Locale } from "../../src/core/types.js";
import { textOf } from "../support/feishu-stack.js";

const input: TicketCardInput = {
  number: "FB20251015001",
  title: "收银机打印小票时闪退",
  description: "客户孙先生反馈：收银机打印小票时程序闪退",
  status: "open",
  priority: "high",
  categoryLabel: "问题反馈",
  departmentLabel: "技术部",
  handlerLabel: null,
  reporterLabel: "王主管",
  authorLabel: "孙先生",
  customerTier: "normal",
  receivedAt: new Date("2025-10-15T02:00:00Z"),
  responseDueAt: new Date("2025-10-15T04:00:00Z"),
  resolutionDueAt: new Date("2025-10-16T02:00:00Z"),
  version: 1,
  timeline: [],
  mentions: [],
} as unknown as TicketCardInput;

const text = (locale: Locale) => textOf(renderFeishuCard(ticketCard(input, { now: new Date("2025-10-15T02:05:00Z"), timeZone: "Asia/Shanghai", locale })) as never);

describe("the reporter line names the message's author", () => {
  it("in Chinese with full-width brackets and colon", () => {
    expect(text("zh-CN")).toContain("王主管（消息作者：孙先生）");
  });
  it("in English with ASCII ones", () => {
    expect(text("en")).toContain("王主管 (message author: 孙先生)");
    expect(text("en")).not.toMatch(/[（）]|author：/);
  });
});
