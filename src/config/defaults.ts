// Default workflow, straight from the domain spec (docs/spec.md). A deployment overrides it with CHATDESK_CONFIG.
// People and departments ship empty of real user ids: tickets still route to a department,
// and a lead claims or assigns until the handler pools are filled in.

export const defaultWorkflow = {
  locale: "zh-CN",
  numberPrefix: "FB",
  people: [],
  departments: [
    { id: "tech", name: "技术部", nameEn: "Tech Support" },
    { id: "product", name: "产品部", nameEn: "Product" },
    { id: "service", name: "客服部", nameEn: "Customer Service" },
    { id: "service_ops", name: "客服运营部", nameEn: "Service Operations" },
    { id: "service_lead", name: "客服部主管", nameEn: "Customer Service Supervisors" },
    { id: "supply_chain", name: "供应链部", nameEn: "Supply Chain" },
    { id: "finance", name: "财务部", nameEn: "Finance" },
  ],
  categories: [
    {
      id: "bug",
      name: "问题反馈",
      nameEn: "Bug / fault",
      department: "tech",
      keywords: ["报错", "错误", "无法", "不能", "失败", "崩溃", "闪退", "异常", "卡顿", "缓慢", "白屏", "bug", "打不开", "故障", "宕机"],
      subCategories: [
        { id: "login", name: "登录异常", nameEn: "Login problem", keywords: ["登录", "登陆", "密码", "验证码"] },
        { id: "sync", name: "数据同步失败", nameEn: "Data sync failure", keywords: ["同步", "数据丢失", "数据不一致"] },
        { id: "performance", name: "性能问题", nameEn: "Performance", keywords: ["缓慢", "卡顿", "加载慢", "超时"] },
      ],
    },
    {
      id: "feature",
      name: "功能需求",
      nameEn: "Feature request",
      department: "product",
      keywords: ["希望", "增加", "新增", "支持", "能否", "需求", "功能", "开通", "接口"],
      subCategories: [
        { id: "new_feature", name: "新功能需求", nameEn: "New feature", keywords: ["增加", "新增", "开通", "接口"] },
        { id: "ui", name: "界面优化", nameEn: "UI improvement", keywords: ["界面", "页面", "按钮", "样式", "布局"] },
      ],
    },
    {
      id: "question",
      name: "咨询",
      nameEn: "Question",
      department: "service",
      keywords: ["怎么", "如何", "请问", "咨询", "是否", "疑问", "政策", "什么"],
      subCategories: [
        { id: "usage", name: "使用疑问", nameEn: "Usage", keywords: ["怎么", "如何", "使用"] },
        { id: "policy", name: "政策解读", nameEn: "Policy", keywords: ["政策", "规定", "条款"] },
      ],
    },
    {
      id: "suggestion",
      name: "建议",
      nameEn: "Suggestion",
      department: "service_ops",
      keywords: ["建议", "最好", "改进", "优化服务", "延长"],
      subCategories: [],
    },
    {
      id: "complaint",
      name: "投诉",
      nameEn: "Complaint",
      department: "service_lead",
      marker: "#投诉",
      keywords: ["投诉", "不满", "不满意", "太差", "态度", "退款", "差评"],
      subCategories: [],
    },
    {
      id: "other",
      name: "其他",
      nameEn: "Other",
      department: "service",
      keywords: [],
      subCategories: [
        { id: "logistics", name: "物流", nameEn: "Logistics", keywords: ["物流", "快递", "发货", "配送"], department: "supply_chain" },
        { id: "billing", name: "账单争议", nameEn: "Billing dispute", keywords: ["账单", "发票", "扣费", "收费"], department: "finance" },
      ],
    },
  ],
  defaultCategory: "other",
  priorityKeywords: {
    urgent: ["宕机", "瘫痪", "全部用户", "所有用户", "大面积", "无法使用", "核心业务", "生产事故"],
    high: ["部分功能", "无法登录", "不可用", "很生气", "非常不满", "影响使用", "严重"],
    low: ["建议", "希望", "长期", "小问题", "咨询"],
  },
  priorityMarkers: { "#紧急": "urgent", "#urgent": "urgent", "#高": "high", "#低": "low" },
  defaultPriority: "medium",
  customers: [],
  sla: {
    urgent: { response: "2h", resolution: "24h", clock: "calendar" },
    high: { response: "4h", resolution: "48h", clock: "working" },
    medium: { response: "8h", resolution: "72h", clock: "working" },
    low: { response: "24h", resolution: "7d", clock: "working" },
  },
  calendar: {
    timeZone: "Asia/Shanghai",
    workdays: [1, 2, 3, 4, 5],
    hours: [
      { start: "09:00", end: "12:00" },
      { start: "13:00", end: "18:00" },
    ],
    holidays: "cn",
    extraHolidays: [],
    extraWorkdays: [],
  },
} as const;
