import { describe, expect, it } from "vitest";
import * as main from "./index.js";
import * as messages from "./messages.js";

describe("@transseg/weights/messages", () => {
  it("exports the main entry's message helpers, the same functions", () => {
    expect(Object.keys(messages).sort()).toEqual(["unknownIdMessage", "writeFailure"]);
    expect(messages.unknownIdMessage).toBe(main.unknownIdMessage);
    expect(messages.writeFailure).toBe(main.writeFailure);
    expect(messages.unknownIdMessage("layout", "timm-vt", ["timm-vit", "beit"])).toMatch(/did you mean "timm-vit"/);
  });
});
