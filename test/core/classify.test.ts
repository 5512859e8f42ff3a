import { describe, expect, it } from "vitest";
import { parseWorkflowConfig } from "../../src/config/load.js";
import { classify, extractFields, parseLocalDate, stripMarkers, titleOf } from "../../src/core/classify.js";

const cfg = parseWorkflowConfig();
const vipCfg = parseWorkflowConfig({
  customers: [
    { id: "CUS1002568", name: "华为", tier: "vip" },
    { name: "国家电网", tier: "strategic" },
  ],
});

describe("extractFields", () => {
  const message = [
    "客户说后台系统报错无法登录，已经持续两个小时了。",
    "他们要求今天给答复。",
    "客户：华为技术有限公司",
    "客户ID：CUS1002568",
    "联系方式：13812345678",
    "产品：智能客服系统 v3.2",
    "期望解决时间：2024/5/30",
    "期望方案：先恢复登录，再排查原因",
    "渠道：电话",
    "等级：VIP",
    "行业：通信",
    "场景：早上9点批量登录时",
    "影响范围：全部坐席",
  ].join("\n");

  it("pulls field lines with full-width colons out of the description", () => {
    const { description, title, fields } = extractFields(message, { today: "2024-05-20" });
    expect(description).toBe("客户说后台系统报错无法登录，已经持续两个小时了。\n他们要求今天给答复。");
    expect(title).toBe("客户说后台系统报错无法登录，已经持续两个小时了。");
    expect(fields).toEqual({
      customerName: "华为技术有限公司",
      customerId: "CUS1002568",
      customerContact: "13812345678",
      product: "智能客服系统",
      productVersion: "v3.2",
      expectedDate: "2024-05-30",
      expectation: "先恢复登录，再排查原因",
      channel: "phone",
      customerTier: "vip",
      industry: "通信",
      scene: "早上9点批量登录时",
      impactScope: "全部坐席",
    });
  });

  it("keeps the customer's words verbatim, including inner blank lines and spacing", () => {
    const text = "\n  页面加载缓慢，  打开报表要等一分钟\n\n尤其是月底  \n客户: 某银行\n";
    const { description, fields } = extractFields(text);
    expect(description).toBe("  页面加载缓慢，  打开报表要等一分钟\n\n尤其是月底  ");
    expect(fields.customerName).toBe("某银行");
  });

  it("accepts English keys and half-width colons", () => {
    const { description, fields } = extractFields(
      "App crashes on startup\nCustomer: ACME Ltd\nCustomer ID: CUS0001\nContact: ops@acme.com\nProduct: Mobile App 3.2.1\nChannel: email\nTier: strategic\nExpected: 2024-06-01",
      { today: "2024-05-20" },
    );
    expect(description).toBe("App crashes on startup");
    expect(fields).toEqual({
      customerName: "ACME Ltd",
      customerId: "CUS0001",
      customerContact: "ops@acme.com",
      product: "Mobile App",
      productVersion: "3.2.1",
      channel: "email",
      customerTier: "strategic",
      expectedDate: "2024-06-01",
    });
  });

  it("splits several fields written on one line", () => {
    const { description, fields } = extractFields("物流一直没发货\n客户：华为，联系方式：13812345678；渠道：在线客服");
    expect(description).toBe("物流一直没发货");
    expect(fields).toEqual({ customerName: "华为", customerContact: "13812345678", channel: "online" });
  });

  it("splits product and version only when a version is present; an explicit 版本 line wins", () => {
    expect(extractFields("x\n产品：智能客服系统V3.2").fields).toMatchObject({ product: "智能客服系统", productVersion: "V3.2" });
    expect(extractFields("x\n产品：CRM 2.0.1 版").fields).toMatchObject({ product: "CRM", productVersion: "2.0.1" });
    expect(extractFields("x\n产品：Office 365").fields).toEqual({ product: "Office 365" });
    expect(extractFields("x\n产品：智能TV").fields).toEqual({ product: "智能TV" });
    expect(extractFields("x\n版本：3.3.0\n产品：智能客服系统 v3.2").fields).toMatchObject({ product: "智能客服系统", productVersion: "3.3.0" });
    expect(extractFields("x\n产品：ERP\n版本：v5").fields).toEqual({ product: "ERP", productVersion: "v5" });
  });

  it("normalises expected dates and keeps unparseable text", () => {
    const today = { today: "2024-05-20" };
    expect(extractFields("x\n期望：2024-05-30", today).fields.expectedDate).toBe("2024-05-30");
    expect(extractFields("x\n期望时间：2024年6月1日前", today).fields.expectedDate).toBe("2024-06-01");
    expect(extractFields("x\n期望解决时间：5月30日", today).fields.expectedDate).toBe("2024-05-30");
    expect(extractFields("x\n期望：本周五之前", today).fields.expectedDate).toBe("本周五之前");
    expect(extractFields("x\n期望：2024/2/30", today).fields.expectedDate).toBe("2024/2/30");
  });

  it("maps channels and tiers to the domain vocabulary", () => {
    const ch = (v: string) => extractFields(`x\n渠道：${v}`).fields.channel;
    expect([ch("电话"), ch("邮件"), ch("在线客服"), ch("社交媒体"), ch("拜访"), ch("问卷"), ch("APP评论"), ch("其他"), ch("飞书群")]).toEqual([
      "phone",
      "email",
      "online",
      "social",
      "visit",
      "survey",
      "app_review",
      "other",
      "other",
    ]);
    const tier = (v: string) => extractFields(`x\n等级：${v}`).fields.customerTier;
    expect([tier("普通"), tier("VIP"), tier("vip客户"), tier("战略"), tier("战略客户"), tier("未知")]).toEqual([
      "normal",
      "vip",
      "vip",
      "strategic",
      "strategic",
      undefined,
    ]);
  });

  it("does not take a customer's sentence after 客户： for a customer name", () => {
    const { description, fields } = extractFields("客户：你们的系统又崩了，今天第三次！\n客户ID：CUS1002568");
    expect(description).toBe("客户：你们的系统又崩了，今天第三次！");
    expect(fields).toEqual({ customerId: "CUS1002568" });
  });

  it("leaves ordinary lines with colons alone and drops empty template slots", () => {
    const text = "报错信息：Error 500: internal\n链接：https://example.com/a\n10:30 开始出现\n客户：\n联系方式：";
    const { description, fields } = extractFields(text);
    expect(description).toBe("报错信息：Error 500: internal\n链接：https://example.com/a\n10:30 开始出现");
    expect(fields).toEqual({});
  });
});

describe("parseLocalDate", () => {
  it("accepts the common Chinese date forms", () => {
    expect(parseLocalDate("2024/5/30", "2024-01-01")).toBe("2024-05-30");
    expect(parseLocalDate("2024.05.30", "2024-01-01")).toBe("2024-05-30");
    expect(parseLocalDate("20240530", "2024-01-01")).toBe("2024-05-30");
    expect(parseLocalDate("5/30", "2024-01-01")).toBe("2024-05-30");
  });

  it("gives a year-less date the next occurrence unless it is recent", () => {
    expect(parseLocalDate("1月5日", "2024-12-20")).toBe("2025-01-05");
    expect(parseLocalDate("12月10日", "2024-12-20")).toBe("2024-12-10");
    expect(parseLocalDate("2月29日", "2024-01-10")).toBe("2024-02-29");
    expect(parseLocalDate("2月30日", "2024-01-10")).toBeUndefined();
  });
});

describe("titleOf", () => {
  it("takes the first non-empty line without markers and cuts at 60 characters", () => {
    expect(titleOf("\n\n  系统宕机 #紧急 \n详情见截图")).toBe("系统宕机");
    const long = "客".repeat(80);
    const t = titleOf(long);
    expect(Array.from(t)).toHaveLength(60);
    expect(t.endsWith("…")).toBe(true);
    expect(titleOf("客".repeat(60))).toBe("客".repeat(60));
    expect(titleOf("")).toBe("");
  });
});

describe("stripMarkers", () => {
  it("removes configured markers case-insensitively and nothing else", () => {
    expect(stripMarkers("对售后响应速度不满意 #投诉", cfg)).toBe("对售后响应速度不满意");
    expect(stripMarkers("#URGENT 全部用户无法使用\n  第二行 #低", cfg)).toBe("全部用户无法使用\n  第二行");
    expect(stripMarkers("话题 #售后 保留", cfg)).toBe("话题 #售后 保留");
  });
});

describe("classify", () => {
  it("bug with urgent marker: 华为反馈系统报错无法登录，所有用户都受影响 #紧急", () => {
    const r = classify("华为反馈系统报错无法登录，所有用户都受影响 #紧急", cfg);
    expect(r).toMatchObject({ category: "bug", subCategory: "login", priority: "urgent", tier: "normal" });
    expect(r.reasons.join("\n")).toContain("#紧急");
  });

  it("feature request: 希望增加批量导出功能", () => {
    expect(classify("希望增加批量导出功能", cfg)).toMatchObject({ category: "feature", subCategory: "new_feature", priority: "low" });
  });

  it("question: 请问发票怎么开", () => {
    expect(classify("请问发票怎么开", cfg)).toMatchObject({ category: "question", subCategory: "usage", priority: "medium" });
  });

  it("complaint marker: 对售后响应速度不满意 #投诉", () => {
    const r = classify("对售后响应速度不满意 #投诉", cfg);
    expect(r.category).toBe("complaint");
    expect(r.subCategory).toBeUndefined();
    expect(r.reasons[0]).toContain("#投诉");
  });

  it("a category marker beats keywords", () => {
    // Keywords say bug (报错, 无法, 登录), the staff member says complaint.
    const r = classify("系统报错无法登录，客户要求赔偿 #投诉", cfg);
    expect(r.category).toBe("complaint");
    expect(classify("系统报错无法登录，客户要求赔偿", cfg).category).toBe("bug");
  });

  it("a priority marker beats priority keywords, case-insensitively", () => {
    expect(classify("全部用户无法使用 #低", cfg).priority).toBe("low");
    expect(classify("页面按钮样式不统一 #URGENT", cfg).priority).toBe("urgent");
    expect(classify("页面按钮样式不统一 #urgently", cfg).priority).toBe("medium");
  });

  it("other with sub-category by its keywords: 物流一直没发货", () => {
    expect(classify("物流一直没发货", cfg)).toMatchObject({ category: "other", subCategory: "logistics", priority: "medium" });
  });

  it("sub-category keywords pull a message into their category", () => {
    expect(classify("上个月账单扣费错误", cfg)).toMatchObject({ category: "other", subCategory: "billing" });
  });

  it("unknown text → default category and priority", () => {
    const r = classify("你好，在吗", cfg);
    expect(r).toEqual({ category: "other", priority: "medium", tier: "normal", reasons: expect.any(Array) });
    expect(r.reasons).toHaveLength(2);
  });

  it("breaks keyword ties by category order", () => {
    // 缓慢 (bug) vs 页面 (feature → ui): one hit each, bug comes first.
    expect(classify("页面加载缓慢", cfg).category).toBe("bug");
  });

  it("suggestion and urgency keywords", () => {
    expect(classify("建议延长客服工作时间", cfg)).toMatchObject({ category: "suggestion", priority: "low" });
    expect(classify("生产环境宕机，核心业务中断", cfg)).toMatchObject({ category: "bug", priority: "urgent" });
    expect(classify("导出报表失败，影响使用", cfg)).toMatchObject({ category: "bug", priority: "high" });
  });

  it("reads impact scope from a field line for priority, and ignores field lines for category", () => {
    const r = classify("报表导出报错\n影响范围：所有用户\n期望方案：希望尽快修复", cfg);
    expect(r).toMatchObject({ category: "bug", priority: "urgent" });
  });

  it("bumps a VIP customer one level (from the tier field)", () => {
    const r = classify("希望增加批量导出功能\n客户：某某科技\n等级：VIP", cfg);
    expect(r).toMatchObject({ category: "feature", priority: "medium", tier: "vip" });
    expect(r.reasons.at(-1)).toContain("低 → 中");
  });

  it("bumps a configured customer matched by id, by name, or named in the text", () => {
    expect(classify("页面加载缓慢", vipCfg, { id: "cus1002568" })).toMatchObject({ priority: "high", tier: "vip" });
    expect(classify("页面加载缓慢", vipCfg, { name: "华为技术有限公司" })).toMatchObject({ priority: "high", tier: "vip" });
    expect(classify("页面加载缓慢\n客户：国家电网有限公司", vipCfg)).toMatchObject({ priority: "high", tier: "strategic" });
    expect(classify("华为反馈页面加载缓慢", vipCfg)).toMatchObject({ priority: "high", tier: "vip" });
    expect(classify("页面加载缓慢", vipCfg, { name: "小米" })).toMatchObject({ priority: "medium", tier: "normal" });
  });

  it("uses the hint's tier, and the higher of stated and configured tiers", () => {
    expect(classify("页面加载缓慢", cfg, { tier: "strategic" })).toMatchObject({ priority: "high", tier: "strategic" });
    expect(classify("页面加载缓慢", vipCfg, { name: "华为", tier: "normal" })).toMatchObject({ priority: "high", tier: "vip" });
  });

  it("does not bump past urgent, nor a priority set by a marker", () => {
    expect(classify("系统宕机", cfg, { tier: "vip" }).priority).toBe("urgent");
    const r = classify("界面颜色建议调整 #低\n等级：VIP", cfg);
    expect(r).toMatchObject({ priority: "low", tier: "vip" });
    expect(r.reasons.at(-1)).toContain("标记");
  });

  it("writes reasons in English for an English deployment", () => {
    const en = parseWorkflowConfig({ locale: "en" });
    const r = classify("希望增加批量导出功能", en, { tier: "vip" });
    expect(r.reasons).toEqual([
      "keywords 希望, 增加, 功能 → Feature request",
      "sub-category New feature (增加)",
      "keywords 希望 → priority low",
      "VIP customer → priority one level up: low → medium",
    ]);
  });
});
