import { crc32, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodePng, pngDataUrl } from "./png.js";

describe("png", () => {
  it("writes signature, IHDR, IDAT rows with filter 0 and IEND, each chunk with a valid CRC", () => {
    const rgb = Uint8Array.from({ length: 3 * 2 * 3 }, (_, i) => i * 7);
    const png = encodePng(3, 2, rgb);
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const view = new DataView(png.buffer, png.byteOffset);
    const chunks: { type: string; data: Uint8Array }[] = [];
    for (let o = 8; o < png.length; ) {
      const len = view.getUint32(o);
      const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
      const data = png.subarray(o + 8, o + 8 + len);
      expect(view.getUint32(o + 8 + len)).toBe(crc32(png.subarray(o + 4, o + 8 + len)));
      chunks.push({ type, data });
      o += 12 + len;
    }
    expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    const ihdr = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset);
    expect([ihdr.getUint32(0), ihdr.getUint32(4), ...chunks[0]!.data.subarray(8)]).toEqual([3, 2, 8, 2, 0, 0, 0]);
    const raw = inflateSync(chunks[1]!.data);
    expect([...raw]).toEqual([0, ...rgb.subarray(0, 9), 0, ...rgb.subarray(9)]);
    expect(pngDataUrl(3, 2, rgb)).toBe(`data:image/png;base64,${Buffer.from(png).toString("base64")}`);
    expect(() => encodePng(3, 2, new Uint8Array(5))).toThrow(/5 bytes for 3×2 RGB/);
  });
});
