import { describe, expect, it } from "vitest";
import { errorText } from "../../src/app/errors-to-text.js";
import { ChatDeskError } from "../../src/core/errors.js";

describe("error texts", () => {
  const forbidden = new ChatDeskError("FORBIDDEN", "no", { needs: ["reporter", "lead"] });

  it("names the action as a verb inside the sentence, in both locales", () => {
    expect(errorText(forbidden, "zh-CN", "reopen").text).toBe("你没有权限重新打开（需要：提报人 / 主管）");
    expect(errorText(forbidden, "en", "reopen").text).toBe("You may not reopen it (needs: reporter / lead)");
    // Not the button label ("Note") mid-sentence.
    expect(errorText(forbidden, "en", "note").text).toBe("You may not add notes (needs: reporter / lead)");
    expect(errorText(new ChatDeskError("ILLEGAL_TRANSITION", "no", { status: "closed" }), "en", "claim").text).toBe("The ticket is Closed; cannot claim it");
    expect(errorText(forbidden, "zh-CN", "claim").text).toBe("你没有权限认领（需要：提报人 / 主管）");
  });

  it("turns unknown failures into a generic error, not a warning", () => {
    expect(errorText(new Error("boom"), "zh-CN", "claim").kind).toBe("error");
  });
});
