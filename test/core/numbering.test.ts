import { describe, expect, it } from "vitest";
import { findTicketNumbers, parseTicketNumber, sequenceKey, ticketNumber } from "../../src/core/numbering.js";
import { isChatDeskError } from "../../src/core/errors.js";

describe("ticketNumber", () => {
  it("formats prefix + local date + 3-digit sequence", () => {
    expect(ticketNumber("FB", "2024-11-23", 1)).toBe("FB20241123001");
    expect(ticketNumber("FB", "2024-05-21", 42)).toBe("FB20240521042");
    expect(ticketNumber("FB", "2024-05-21", 999)).toBe("FB20240521999");
  });

  it("grows past 999 instead of wrapping", () => {
    expect(ticketNumber("FB", "2024-11-23", 1000)).toBe("FB202411231000");
    expect(ticketNumber("FB", "2024-11-23", 12345)).toBe("FB2024112312345");
  });

  it("upper-cases the prefix", () => {
    expect(ticketNumber("cs", "2024-01-02", 7)).toBe("CS20240102007");
  });

  it("rejects bad input with INVALID_INPUT", () => {
    for (const call of [
      () => ticketNumber("FB", "2024-11-23", 0),
      () => ticketNumber("FB", "2024-11-23", 1.5),
      () => ticketNumber("FB", "2024-02-30", 1),
      () => ticketNumber("FB", "20241123", 1),
      () => ticketNumber("FB1", "2024-11-23", 1),
      () => ticketNumber("", "2024-11-23", 1),
    ]) {
      let err: unknown;
      try {
        call();
      } catch (e) {
        err = e;
      }
      expect(isChatDeskError(err) && err.code).toBe("INVALID_INPUT");
    }
  });
});

describe("sequenceKey", () => {
  it("is the number without the sequence", () => {
    expect(sequenceKey("FB", "2024-11-23")).toBe("FB20241123");
    expect(ticketNumber("FB", "2024-11-23", 5).startsWith(sequenceKey("FB", "2024-11-23"))).toBe(true);
  });
});

describe("parseTicketNumber", () => {
  it("parses what ticketNumber makes", () => {
    expect(parseTicketNumber("FB20241123001")).toEqual({ prefix: "FB", date: "2024-11-23", seq: 1 });
    expect(parseTicketNumber(ticketNumber("FB", "2024-12-31", 1234))).toEqual({ prefix: "FB", date: "2024-12-31", seq: 1234 });
  });

  it("is case-insensitive and tolerates a leading # and spaces", () => {
    expect(parseTicketNumber("#fb20241123007")).toEqual({ prefix: "FB", date: "2024-11-23", seq: 7 });
    expect(parseTicketNumber("  ＃FB20241123010 ")).toEqual({ prefix: "FB", date: "2024-11-23", seq: 10 });
  });

  it("rejects malformed numbers", () => {
    expect(parseTicketNumber("FB2024112301")).toBeNull(); // 2-digit sequence
    expect(parseTicketNumber("FB20241323001")).toBeNull(); // month 13
    expect(parseTicketNumber("FB20240230001")).toBeNull(); // 30 Feb
    expect(parseTicketNumber("FB20241123000")).toBeNull(); // seq 0
    expect(parseTicketNumber("20241123001")).toBeNull();
    expect(parseTicketNumber("FB20241123001 进展")).toBeNull();
    expect(parseTicketNumber("")).toBeNull();
  });
});

describe("findTicketNumbers", () => {
  it("finds numbers in chat text, normalised and de-duplicated", () => {
    expect(findTicketNumbers("FB20241123001 已处理，另见 #fb20241123002进展 和 FB20241123001")).toEqual(["FB20241123001", "FB20241123002"]);
  });

  it("ignores look-alikes and other prefixes when asked", () => {
    expect(findTicketNumbers("订单号 XFB20241123001A 与 CS20241123003", "FB")).toEqual([]);
    expect(findTicketNumbers("CS20241123003 和 FB20241123004", "fb")).toEqual(["FB20241123004"]);
  });
});
