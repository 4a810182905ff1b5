import { describe, expect, it } from "vitest";
import { fromJsonValue, toJsonValue } from "./json.js";

describe("toJsonValue / fromJsonValue", () => {
  it("NaN -> null, Infinity -> 'inf', recursively; round-trips", () => {
    expect(toJsonValue(NaN)).toBeNull();
    expect(toJsonValue(Infinity)).toBe("inf");
    expect(toJsonValue(-Infinity)).toBe("-inf");
    expect(toJsonValue(0.5)).toBe(0.5);
    const tree = { "1": { dice: 0.5, hd: Infinity, n: { dice: 2 } }, list: [NaN, 1], arr: new Float64Array([Infinity]), s: "x" };
    const json = JSON.stringify(toJsonValue(tree));
    expect(json).toBe('{"1":{"dice":0.5,"hd":"inf","n":{"dice":2}},"list":[null,1],"arr":["inf"],"s":"x"}');
    for (const v of [NaN, Infinity, -Infinity, 3.25]) expect(fromJsonValue(toJsonValue(v))).toBe(v);
    expect(() => fromJsonValue("nan" as "inf")).toThrow(/"nan" is not a number/);
  });
});
