/** The README's CLI reference is the commands' own usage text: regenerate with REGEN=1. */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinCommands } from "../../apps/cli/src/commands/index.js";

const readmePath = resolve(import.meta.dirname, "../../README.md");
const START = "<!-- cli-reference:start -->";
const END = "<!-- cli-reference:end -->";

function reference(): string {
  return Object.values(builtinCommands)
    .map((c) => `### \`transseg ${c.name}\`\n\n${c.summary}.\n\n\`\`\`text\n${c.usage}\n\`\`\`\n`)
    .join("\n");
}

describe("README", () => {
  it("documents every CLI command with its current usage text", () => {
    const readme = readFileSync(readmePath, "utf8");
    const begin = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(begin, "README has the cli-reference markers").toBeGreaterThan(-1);
    const current = readme.slice(begin + START.length, end).trim();
    const expected = reference().trim();
    if (process.env.REGEN === "1" && current !== expected) {
      writeFileSync(readmePath, `${readme.slice(0, begin + START.length)}\n${expected}\n${readme.slice(end)}`);
      return;
    }
    expect(current).toBe(expected);
  });

  it("has a Quick start of exactly two commands", () => {
    const readme = readFileSync(readmePath, "utf8");
    const quick = /## Quick start\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
    const block = /```(?:sh|bash)\n([\s\S]*?)```/.exec(quick)?.[1] ?? "";
    const commands = block.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#"));
    expect(commands).toHaveLength(2);
  });
});
