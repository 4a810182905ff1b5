import { describe, expect, it } from "vitest";
import { editDistance, nearest, unknownIdMessage } from "./suggest.js";

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("ABC", "abc")).toBe(0);
  });
});

describe("nearest / unknownIdMessage", () => {
  const ids = ["BTCV", "ACDC", "Task09_Spleen", "Task10_Colon"];
  it("prefers case-insensitive and substring matches, then edit distance", () => {
    expect(nearest("btcv", ids)).toBe("BTCV");
    expect(nearest("spleen", ids)).toBe("Task09_Spleen");
    expect(nearest("ACDB", ids)).toBe("ACDC");
    expect(nearest("x", [])).toBeUndefined();
  });
  it("names the nearest id and lists all", () => {
    expect(unknownIdMessage("task profile", "colon", ids)).toBe(
      'unknown task profile "colon"; did you mean "Task10_Colon"? valid: BTCV, ACDC, Task09_Spleen, Task10_Colon',
    );
  });
});
