import { describe, expect, it } from "vitest";
import { maskContact, maskName } from "../../src/core/mask.js";

describe("maskContact", () => {
  it("masks a mainland mobile number as 3+4", () => {
    expect(maskContact("13812345678")).toBe("138****5678");
    expect(maskContact(" 138-1234-5678 ")).toBe("138****5678");
    expect(maskContact("+86 138 1234 5678")).toBe("+86 138****5678");
  });

  it("masks a landline keeping the first 3 and last 4 digits", () => {
    expect(maskContact("010-12345678")).toBe("010****5678");
    expect(maskContact("0755 87654321")).toBe("075****4321");
  });

  it("masks an email's local part, keeping the domain", () => {
    expect(maskContact("abc.def@x.com")).toBe("a****f@x.com");
    expect(maskContact("zhangsan@huawei.com")).toBe("z****n@huawei.com");
    expect(maskContact("ab@x.com")).toBe("a****@x.com");
    expect(maskContact("a@x.com")).toBe("a****@x.com");
  });

  it("masks phones and emails inside a longer contact value", () => {
    expect(maskContact("张先生 13812345678")).toBe("张先生 138****5678");
    expect(maskContact("13812345678 / li.si@corp.cn")).toBe("138****5678 / l****i@corp.cn");
  });

  it("never shows a full phone number", () => {
    for (const v of ["13812345678", "+8613987654321", "15900001111"]) expect(maskContact(v)).not.toContain(v.slice(-11));
  });

  it("keeps only the first and last character of anything else", () => {
    expect(maskContact("wxid_zhangsan")).toBe("w******n");
    expect(maskContact("张三丰")).toBe("张*丰");
    expect(maskContact("QQ")).toBe("Q*");
    expect(maskContact("x")).toBe("*");
    expect(maskContact("   ")).toBe("");
  });
});

describe("maskName", () => {
  it("masks Chinese and English names", () => {
    expect(maskName("张三")).toBe("张*");
    expect(maskName("张三丰")).toBe("张*丰");
    expect(maskName("欧阳娜娜")).toBe("欧**娜");
    expect(maskName("Alice")).toBe("A***e");
  });
});
