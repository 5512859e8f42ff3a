// The playground's renderers: the platforms' markdown, Feishu card JSON 2.0 and the DingTalk template
// with card data, as the clients show them, from cards the bot's own renderers produce.
import { describe, expect, it } from "vitest";
import { submitFormCard } from "../../cards/submit-form.js";
import { ticketCard } from "../../cards/ticket.js";
import { renderFeishuCard } from "../../src/adapter/feishu/render-card.js";
import { renderRobotMessage, renderTemplateData } from "../../src/adapter/dingtalk/render-card.js";
import { DingTalkCard, DingTalkRobot, visible } from "../../src/playground/render/dingtalk.js";
import { FeishuCard } from "../../src/playground/render/feishu-card.js";
import { markdownToHtml } from "../../src/playground/render/markdown.js";

const now = new Date("2026-12-09T02:00:00Z");
const ticket = ticketCard(
  {
    number: "FB20261209001",
    title: "导出报表一直转圈",
    description: "客户说 <script>alert(1)</script> 导出报表一直转圈",
    status: "in_progress",
    priority: "high",
    categoryLabel: "问题反馈",
    departmentLabel: "技术部",
    handlerLabel: "张工",
    reporterLabel: "客服小美",
    customerTier: "normal",
    receivedAt: now,
    responseDueAt: new Date(now.getTime() + 4 * 3600_000),
    resolutionDueAt: new Date(now.getTime() + 48 * 3600_000),
    attachmentCount: 0,
    version: 3,
    timeline: [{ at: now, actor: "ou_x_y", kind: "claimed" }],
  },
  { now, timeZone: "Asia/Shanghai", locale: "zh-CN" },
);
const ctx = { nameOf: (id: string) => ({ ou_zhang: "张工" })[id], members: [{ userId: "ou_zhang", name: "张工" }] };
/** What a person reads: tags dropped, entities decoded. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

describe("markdown", () => {
  it("escapes HTML and keeps only the dialect's constructs", () => {
    const html = markdownToHtml("**粗体** <script>x</script> [链接](https://example.com/a?b=1&c=2) [坏](javascript:alert(1))");
    expect(html).toContain("<b>粗体</b>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain('<a href="https://example.com/a?b=1&amp;c=2"');
    expect(html).not.toContain('href="javascript');
  });

  it("draws Feishu mentions by name, grey text over several lines, entities and backslash escapes", () => {
    const html = markdownToHtml("<at id=ou_zhang></at> 请处理\n<font color='grey'>最近动态\nou\\_x 认领</font> &#60;b&#62;", { nameOf: ctx.nameOf });
    expect(html).toContain('<span class="at">@张工</span>');
    expect(html.match(/<span class="c-grey">/g)).toHaveLength(2);
    expect(text(html)).toContain("ou_x 认领");
    expect(html).toContain("&#60;b&#62;");
  });
});

describe("Feishu card 2.0", () => {
  it("shows the header colour and tags, fields, buttons with their callbacks, selects, person picker and forms", () => {
    const html = String(<FeishuCard card={renderFeishuCard(ticket)} ctx={ctx} />);
    expect(html).toContain('class="fhead t-blue"');
    expect(text(html)).toContain("FB20261209001 导出报表一直转圈");
    expect(text(html)).toMatch(/处理中 .*高/);
    expect(text(html)).toContain("处理人 张工");
    expect(html).not.toContain("<script");
    expect(text(html)).toContain("客户说 <script>alert(1)</script> 导出报表");
    expect(html).toMatch(/data-fs="select_static"[^>]*data-value="\{&quot;action&quot;:&quot;priority&quot;/);
    expect(html).toMatch(/data-fs="select_person"/);
    expect(html).toContain('<option value="ou_zhang">张工</option>');
    expect(html).toMatch(/<form class="form" data-form="progress_form">[\s\S]*<textarea[^>]*name="text"[^>]*required/);
    expect(html).toMatch(/type="submit"[^>]*data-fs="submit"/);
    expect(html).not.toContain('class="unknown"');
  });

  it("shows an element it does not know, or a wrong schema, as a visible error box", () => {
    const html = String(<FeishuCard card={{ schema: "2.0", body: { elements: [{ tag: "chart", chart_spec: {} }, { tag: "input", name: "x" }] } }} ctx={ctx} />);
    expect(html.match(/class="unknown"/g)).toHaveLength(2);
    expect(text(html)).toContain('unsupported card element "chart"');
    expect(text(html)).toContain("input outside a form");
    expect(text(String(<FeishuCard card={{ schema: "1.0", elements: [] }} ctx={ctx} />))).toContain('card schema "1.0"');
  });
});

describe("DingTalk", () => {
  it("evaluates the template's visibility rules", () => {
    expect(visible("btn1Visible", { btn1Visible: "true" })).toBe(true);
    expect(visible("btn1Visible", { btn1Visible: "false" })).toBe(false);
    expect(visible("note != ''", { note: "" })).toBe(false);
    expect(visible("notice != '' && noticeVersion == cardVersion", { notice: "ok", noticeVersion: "3", cardVersion: "3" })).toBe(true);
    expect(visible("notice != '' && noticeVersion == cardVersion", { notice: "ok", noticeVersion: "2", cardVersion: "3" })).toBe(false);
  });

  it("draws the shipped template with the card data: header, fields, buttons with their 回传参数, both forms", () => {
    const data = renderTemplateData(ticket);
    const html = String(<DingTalkCard data={data} privateData={{ notice: "认领成功", noticeKind: "success", noticeVersion: "3" }} />);
    expect(text(html)).toContain("FB20261209001 导出报表一直转圈");
    expect(text(html)).toContain("处理人 张工");
    expect(html).toMatch(/data-dt="btn1" data-params="\{&quot;value&quot;:&quot;\{\\&quot;action/);
    expect(html).toContain('data-local="input1"');
    expect(html).toContain('data-local="form2Input1"');
    expect(html).toContain('class="dnotice n-success"');
    expect(text(html)).toContain("认领成功");
    // A notice given for an older version of the card is hidden.
    expect(String(<DingTalkCard data={data} privateData={{ notice: "旧", noticeVersion: "2" }} />)).not.toContain("dnotice");
  });

  it("draws a session webhook's @ list as DingTalk does: the listed ids by name, highlighted; other @s as text", () => {
    const nameOf = (id: string) => ({ pgmei01: "客服小美", pgzhang01: "张工" })[id];
    // The notice to the reporter, as the sender writes it (src/adapter/dingtalk/sender.ts webhookText).
    const notice = String(
      <DingTalkRobot msgKey="webhook:text" param={{ content: "你提报的工单 FB20261209001 状态更新为「处理中」。 @pgmei01 @pgzhang01", at: { atUserIds: ["pgmei01"], isAtAll: false } }} nameOf={nameOf} />,
    );
    expect(notice).toContain('<span class="at">@客服小美</span>');
    expect(text(notice).trim()).toBe("你提报的工单 FB20261209001 状态更新为「处理中」。 @客服小美 @pgzhang01");
    // Someone listed whom the text does not name is still notified: DingTalk shows them at the end.
    expect(text(String(<DingTalkRobot msgKey="webhook:text" param={{ content: "请处理", at: { atUserIds: ["pgzhang01"] } }} nameOf={nameOf} />)).trim()).toBe("请处理 @张工");
    // The OpenAPI cannot @: an "@id" there is the text it is.
    const api = String(<DingTalkRobot msgKey="sampleText" param={{ content: "工单 FB20261209001 已分派给你 @pgmei01" }} nameOf={nameOf} />);
    expect(api).not.toContain('class="at"');
    expect(text(api)).toContain("@pgmei01");
  });

  it("draws robot markdown (no template) with the commands to type", () => {
    const m = renderRobotMessage(submitFormCard("zh-CN", [{ id: "bug", label: "问题反馈" }]));
    const html = String(<DingTalkRobot msgKey={m.msgKey} param={m.msgParam} nameOf={() => undefined} />);
    expect(html).toContain('<div class="h h4">');
    expect(text(html)).toMatch(/发送命令操作/);
  });
});
