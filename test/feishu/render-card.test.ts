import { md, mdMarkup } from "../../cards/safe-text.js";
import { describe, expect, it } from "vitest";
import type { Card } from "../../cards/model.js";
import {
  cardByteSize,
  countCardElements,
  renderCardActionResponse,
  renderFeishuCard,
  renderLegacyCardActionResponse,
} from "../../src/adapter/feishu/render-card.js";
import { checkFeishuCard } from "../support/feishu-card-rules.js";

const ticketCard: Card = {
  header: {
    title: "FB20240521001 系统报错无法登录",
    subtitle: "客户：华东某银行 (VIP)",
    color: "orange",
    tags: [
      { text: "高", color: "red" },
      { text: "待处理", color: "grey" },
    ],
  },
  blocks: [
    { type: "markdown", text: md`**问题描述**\n${"客户反馈登录时提示 500 <at id=all></at>"}` },
    {
      type: "fields",
      fields: [
        { label: "反馈类型", value: "问题反馈" },
        { label: "优先级", value: "高" },
        { label: "责任部门", value: "技术部" },
      ],
    },
    { type: "divider" },
    {
      type: "actions",
      actions: [
        { type: "button", label: "认领", style: "primary", value: { action: "claim", ticket: "FB20240521001" } },
        {
          type: "button",
          label: "驳回",
          style: "danger",
          value: { action: "reject", ticket: "FB20240521001" },
          confirm: { title: "确认驳回？", text: "驳回后提报人会收到通知" },
        },
        { type: "button", label: "详情", value: { action: "open" }, url: "https://desk.example.com/t/FB20240521001" },
        {
          type: "select",
          placeholder: "调整优先级",
          options: [
            { label: "紧急", value: "urgent" },
            { label: "高", value: "high" },
          ],
          initial: "high",
          value: { action: "priority", ticket: "FB20240521001" },
        },
        { type: "person_select", placeholder: "转派给…", value: { action: "reassign", ticket: "FB20240521001" } },
      ],
    },
    { type: "note", text: mdMarkup("SLA：4 小时内首次响应") },
  ],
  mentions: [
    { platform: "feishu", userId: "ou_handler1", name: "张三" },
    { platform: "dingtalk", userId: "ding_1" },
  ],
  summary: "新工单 FB20240521001",
};

const formCard: Card = {
  header: { title: "提交处理计划", color: "blue" },
  blocks: [
    {
      type: "form",
      name: "plan_form",
      inputs: [
        { type: "text", name: "plan", label: "处理计划", placeholder: "写下计划", required: true, multiline: true, maxLength: 2000 },
        { type: "text", name: "eta", label: "预计完成" },
        {
          type: "select",
          name: "category",
          label: "反馈类型",
          required: true,
          options: [
            { label: "问题反馈", value: "bug" },
            { label: "功能需求", value: "feature" },
          ],
          initial: "bug",
        },
      ],
      submit: { type: "button", label: "提交", style: "primary", value: { action: "plan", ticket: "FB20240521001" } },
      cancel: { type: "button", label: "取消", value: { action: "cancel", ticket: "FB20240521001" } },
    },
  ],
  summary: "处理计划",
};

type El = Record<string, unknown>;
const elements = (json: Record<string, unknown>) => (json.body as { elements: El[] }).elements;
const find = (list: unknown, tag: string): El[] => {
  const out: El[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === "object") {
      if ((x as El).tag === tag) out.push(x as El);
      Object.values(x).forEach(walk);
    }
  };
  walk(list);
  return out;
};

describe("renderFeishuCard", () => {
  it("renders a ticket card that passes every 2.0 rule", () => {
    const json = renderFeishuCard(ticketCard);
    expect(checkFeishuCard(json)).toEqual([]);
    expect(json.schema).toBe("2.0");
    expect(json.config).toEqual({ update_multi: true, summary: { content: "新工单 FB20240521001" } });
    expect(json.header).toEqual({
      title: { tag: "plain_text", content: "FB20240521001 系统报错无法登录" },
      subtitle: { tag: "plain_text", content: "客户：华东某银行 (VIP)" },
      template: "orange",
      text_tag_list: [
        { tag: "text_tag", text: { tag: "plain_text", content: "高" }, color: "red" },
        { tag: "text_tag", text: { tag: "plain_text", content: "待处理" }, color: "neutral" },
      ],
    });
  });

  it("puts Feishu @mentions in a markdown line and neutralises injected tags", () => {
    const els = elements(renderFeishuCard(ticketCard, { mentions: ["ou_extra"] }));
    expect(els[0]).toEqual({ tag: "markdown", content: "<at id=ou_handler1></at> <at id=ou_extra></at>" });
    expect(String(els[1]!.content)).toContain("&#60;at id=all&#62;&#60;/at&#62;");
    expect(String(els[1]!.content)).not.toMatch(/<at/);
    expect(String(els[1]!.content)).toMatch(/^\*\*问题描述\*\*\n/); // the template's own markup stays markup
  });

  it("fields → two-column rows; note → small grey markdown; divider → hr", () => {
    const els = elements(renderFeishuCard(ticketCard));
    const rows = els.filter((e) => e.tag === "column_set" && find(e, "button").length === 0);
    expect(rows).toHaveLength(2);
    expect((rows[0]!.columns as El[]).map((c) => (c.elements as El[])[0]?.content)).toEqual(["**反馈类型**\n问题反馈", "**优先级**\n高"]);
    expect((rows[1]!.columns as El[])[1]!.elements).toEqual([]);
    expect(els.some((e) => e.tag === "hr")).toBe(true);
    expect(els.at(-1)).toEqual({ tag: "markdown", content: "<font color='grey'>SLA：4 小时内首次响应</font>", text_size: "notation" });
    expect(find(els, "note")).toEqual([]);
    expect(find(els, "action")).toEqual([]);
  });

  it("buttons carry callback behaviors with the action value, confirm and url", () => {
    const buttons = find(renderFeishuCard(ticketCard), "button");
    expect(buttons[0]).toMatchObject({
      text: { tag: "plain_text", content: "认领" },
      type: "primary_filled",
      behaviors: [{ type: "callback", value: { action: "claim", ticket: "FB20240521001" } }],
    });
    expect(buttons[1]).toMatchObject({
      type: "danger",
      confirm: { title: { tag: "plain_text", content: "确认驳回？" }, text: { tag: "plain_text", content: "驳回后提报人会收到通知" } },
    });
    expect(buttons[2]!.behaviors).toEqual([{ type: "open_url", default_url: "https://desk.example.com/t/FB20240521001" }]);
  });

  it("selects: select_static with initial_option, select_person with a callback", () => {
    const json = renderFeishuCard(ticketCard);
    expect(find(json, "select_static")[0]).toEqual({
      tag: "select_static",
      placeholder: { tag: "plain_text", content: "调整优先级" },
      options: [
        { text: { tag: "plain_text", content: "紧急" }, value: "urgent" },
        { text: { tag: "plain_text", content: "高" }, value: "high" },
      ],
      behaviors: [{ type: "callback", value: { action: "priority", ticket: "FB20240521001" } }],
      initial_option: "high",
    });
    expect(find(json, "select_person")[0]).toMatchObject({ behaviors: [{ type: "callback", value: { action: "reassign", ticket: "FB20240521001" } }] });
  });

  it("renders a form with input, multiline input, select and a submit button", () => {
    const json = renderFeishuCard(formCard);
    expect(checkFeishuCard(json)).toEqual([]);
    const [form, cancelRow] = elements(json);
    expect(form).toMatchObject({ tag: "form", name: "plan_form" });
    const inputs = find(form, "input");
    expect(inputs[0]).toMatchObject({ name: "plan", required: true, input_type: "multiline_text", max_length: 1000, label: { tag: "plain_text", content: "处理计划" } });
    expect(inputs[1]).toMatchObject({ name: "eta", required: false });
    expect(find(form, "select_static")[0]).toMatchObject({ name: "category", required: true, initial_option: "bug" });
    expect(find(form, "button")[0]).toMatchObject({
      name: "plan_form_submit",
      form_action_type: "submit",
      behaviors: [{ type: "callback", value: { action: "plan", ticket: "FB20240521001" } }],
    });
    expect(find(cancelRow, "button")[0]).toMatchObject({ behaviors: [{ type: "callback", value: { action: "cancel", ticket: "FB20240521001" } }] });
  });

  it("stays under 30 KB with very long text", () => {
    const long: Card = {
      ...ticketCard,
      blocks: [{ type: "markdown", text: mdMarkup("很长的描述<。".repeat(6000)) }, { type: "note", text: mdMarkup("备注😀".repeat(3000)) }, ...ticketCard.blocks],
    };
    const json = renderFeishuCard(long);
    expect(cardByteSize(json)).toBeLessThanOrEqual(30 * 1024);
    expect(checkFeishuCard(json)).toEqual([]);
    const [mention, text, note] = elements(json);
    expect(mention!.content).toBe("<at id=ou_handler1></at>");
    expect(String(text!.content)).toMatch(/…$/);
    expect(String(text!.content)).not.toMatch(/&#?\d*…$/);
    expect(String(note!.content)).toMatch(/^<font color='grey'>备注[\s\S]*…<\/font>$/);
    expect(String(note!.content)).not.toContain("\uFFFD");
  });

  it("stays under 30 KB and 200 components with many fields, keeping the actions", () => {
    const fields = Array.from({ length: 150 }, (_, i) => ({ label: `字段${i}`, value: "值".repeat(200) }));
    const big: Card = { ...ticketCard, blocks: [{ type: "fields", fields }, ...ticketCard.blocks] };
    const json = renderFeishuCard(big);
    expect(countCardElements(json)).toBeLessThanOrEqual(200);
    expect(cardByteSize(json)).toBeLessThanOrEqual(30 * 1024);
    expect(checkFeishuCard(json)).toEqual([]);
    expect(find(json, "button").length).toBe(3);
    // Trailing rows are dropped, the leading ones stay, and a "…" marks the cut.
    expect(JSON.stringify(json)).toContain("**字段0**");
    expect(JSON.stringify(json)).not.toContain("**字段149**");
    expect(elements(json).some((e) => e.content === "<font color='grey'>…</font>")).toBe(true);
  });

  it("drops select actions without options", () => {
    const card: Card = {
      header: { title: "t", color: "blue" },
      blocks: [{ type: "actions", actions: [{ type: "select", placeholder: "p", options: [], value: { action: "x" } }] }],
      summary: "s",
    };
    expect(elements(renderFeishuCard(card))).toEqual([]);
  });
});

describe("card action responses", () => {
  // https://open.feishu.cn/document/feishu-cards/card-callback-communication
  it("new callback: toast + raw 2.0 card", () => {
    const r = renderCardActionResponse({ toast: { kind: "success", text: "已认领" }, card: formCard });
    expect(r.toast).toEqual({ type: "success", content: "已认领" });
    expect((r.card as { type: string }).type).toBe("raw");
    expect(checkFeishuCard((r.card as { data: unknown }).data)).toEqual([]);
    expect(renderCardActionResponse({ toast: { kind: "info", text: "ok" } })).toEqual({ toast: { type: "info", content: "ok" } });
  });

  // https://open.feishu.cn/document/deprecated-guide/message-card/configuring-card-callbacks/card-callback-structure
  it("legacy callback: card fields at top level next to the toast", () => {
    const r = renderLegacyCardActionResponse({ toast: { kind: "error", text: "无权限" }, card: formCard });
    expect(r).toMatchObject({ schema: "2.0", toast: { type: "error", content: "无权限" } });
    expect(r.body).toBeDefined();
  });
});

describe("checkFeishuCard catches broken cards", () => {
  const good = () => renderFeishuCard(ticketCard) as Record<string, any>;

  it("flags a 1.0 card", () => {
    const v1 = {
      config: { wide_screen_mode: true },
      header: { template: "blue", title: { tag: "plain_text", content: "T" } },
      elements: [
        { tag: "note", elements: [{ tag: "plain_text", content: "n" }] },
        { tag: "action", actions: [{ tag: "button", text: { tag: "plain_text", content: "OK" }, value: { a: 1 } }] },
      ],
    };
    const v = checkFeishuCard(v1);
    expect(v).toEqual(
      expect.arrayContaining([
        expect.stringContaining('schema must be "2.0"'),
        expect.stringContaining('unknown root key "elements" (1.0 structure)'),
        expect.stringContaining("config.update_multi must be true"),
        expect.stringContaining('unknown config key "wide_screen_mode"'),
      ]),
    );
    const inBody = checkFeishuCard({ schema: "2.0", config: { update_multi: true }, body: { elements: v1.elements } });
    expect(inBody.some((s) => s.includes('"note" is a 1.0 component'))).toBe(true);
    expect(inBody.some((s) => s.includes('"action" is a 1.0 component'))).toBe(true);
  });

  it("flags string callback values, 1.0 button fields and unknown properties", () => {
    const c = good();
    const btn = find(c, "button")[0]!;
    btn.behaviors = [{ type: "callback", value: "claim" }];
    btn.value = { action: "claim" };
    const v = checkFeishuCard(c);
    expect(v.some((s) => s.includes(".value must be an object"))).toBe(true);
    expect(v.some((s) => s.includes('property "value" is not allowed on button'))).toBe(true);
  });

  it("flags duplicate element_id and form names, a missing submit and a nested form", () => {
    const f = renderFeishuCard(formCard) as Record<string, any>;
    const form = elements(f)[0]!;
    const els = form.elements as El[];
    els[1]!.name = "plan"; // duplicate of the first input
    els[0]!.element_id = "dup";
    els[1]!.element_id = "dup";
    let v = checkFeishuCard(f);
    expect(v.some((s) => s.includes('.name "plan" is already used'))).toBe(true);
    expect(v.some((s) => s.includes('element_id "dup" is not unique'))).toBe(true);

    form.elements = els.filter((e) => e.tag !== "button");
    delete els[0]!.name;
    v = checkFeishuCard(f);
    expect(v.some((s) => s.includes("form needs a submit button"))).toBe(true);

    const nested = { schema: "2.0", config: { update_multi: true }, body: { elements: [{ tag: "column_set", columns: [{ tag: "column", elements: [elements(renderFeishuCard(formCard))[0]] }] }] } };
    expect(checkFeishuCard(nested).some((s) => s.includes("form must sit at the root"))).toBe(true);
  });

  it("flags bad colours, options and sizes", () => {
    const c = good();
    c.header.template = "pink";
    c.header.text_tag_list[0].color = "grey";
    const sel = find(c, "select_static")[0]!;
    sel.initial_option = "nope";
    (sel.options as El[]).push({ text: { tag: "plain_text", content: "dup" }, value: "high" });
    find(c, "markdown")[1]!.content = "x".repeat(31 * 1024);
    const v = checkFeishuCard(c);
    for (const needle of ['template "pink"', 'color "grey" is not a tag colour', 'initial_option "nope"', 'value "high" repeats', "bytes, more than"]) {
      expect(v.some((s) => s.includes(needle)), needle).toBe(true);
    }
  });

  it("flags more than 200 components and update_multi false", () => {
    const many = Array.from({ length: 201 }, () => ({ tag: "hr" }));
    const v = checkFeishuCard({ schema: "2.0", config: { update_multi: false }, body: { elements: many } });
    expect(v.some((s) => s.includes("201 components"))).toBe(true);
    expect(v.some((s) => s.includes("update_multi must be true"))).toBe(true);
  });
});
