// The ticket card links to its console page when PUBLIC_URL is set ("在控制台查看" / "Open in console"),
// and the link passes both platforms' card rules.
import { describe, expect, it } from "vitest";
import { ticketCard, type TicketCardInput } from "../../cards/ticket.js";
import { renderRobotMessage, renderTemplateData } from "../../src/adapter/dingtalk/render-card.js";
import { renderFeishuCard } from "../../src/adapter/feishu/render-card.js";
import { checkFeishuCard } from "../support/feishu-card-rules.js";
import { cardParamMapViolations, robotMessageViolations } from "../support/dingtalk-card-rules.js";

const URL_ = "https://desk.example.com/console/tickets/FB20250618002";
const input: TicketCardInput = {
  number: "FB20250618002",
  title: "系统报错无法登录",
  description: "客户反馈系统报错无法登录",
  status: "in_progress",
  priority: "high",
  categoryLabel: "问题反馈 / 登录异常",
  departmentLabel: "技术部",
  handlerLabel: "李四",
  reporterLabel: "客服小刘",
  customerTier: "normal",
  customerContact: "13887654321",
  receivedAt: new Date("2025-06-18T01:50:00Z"),
  responseDueAt: new Date("2025-06-18T06:50:00Z"),
  resolutionDueAt: new Date("2025-06-26T01:50:00Z"),
  firstResponseAt: new Date("2025-06-18T02:00:00Z"),
  attachmentCount: 0,
  version: 2,
  timeline: [],
  consoleUrl: URL_,
};
const opts = { now: new Date("2025-06-18T02:00:00Z"), timeZone: "Asia/Shanghai" };

/** Every button of a Feishu 2.0 card that opens a URL, as [text, url]. */
function feishuLinks(node: unknown, out: [string, string][] = []): [string, string][] {
  if (Array.isArray(node)) node.forEach((n) => feishuLinks(n, out));
  else if (node && typeof node === "object") {
    const o = node as Record<string, any>;
    if (o.tag === "button" && Array.isArray(o.behaviors)) {
      for (const b of o.behaviors) if (b.type === "open_url") out.push([o.text?.content, b.default_url]);
    }
    Object.values(o).forEach((v) => feishuLinks(v, out));
  }
  return out;
}

describe("console link on the ticket card", () => {
  it("Feishu: an open_url button labelled in the card's language, within the 2.0 rules", () => {
    for (const [locale, label] of [["zh-CN", "在控制台查看"], ["en", "Open in console"]] as const) {
      const json = renderFeishuCard(ticketCard(input, { ...opts, locale }));
      expect(checkFeishuCard(json)).toEqual([]);
      expect(feishuLinks(json)).toEqual([[label, URL_]]);
    }
  });

  it("DingTalk: the template's link slot, and the robot message's button", () => {
    const card = ticketCard(input, { ...opts, locale: "zh-CN" });
    const d = renderTemplateData(card);
    expect(cardParamMapViolations(d)).toEqual([]);
    expect([d.linkVisible, d.linkText, d.linkUrl]).toEqual(["true", "在控制台查看", URL_]);
    const m = renderRobotMessage(card);
    expect(robotMessageViolations(m)).toEqual([]);
    expect(m.msgParam).toMatchObject({ singleTitle: "在控制台查看", singleURL: URL_ });
  });

  it("no PUBLIC_URL, no link", () => {
    const json = renderFeishuCard(ticketCard({ ...input, consoleUrl: undefined }, { ...opts, locale: "zh-CN" }));
    expect(feishuLinks(json)).toEqual([]);
    expect(renderTemplateData(ticketCard({ ...input, consoleUrl: undefined }, { ...opts, locale: "zh-CN" })).linkVisible).toBe("false");
  });
});
