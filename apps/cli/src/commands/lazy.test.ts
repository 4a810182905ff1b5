import { describe, expect, it } from "vitest";
import { builtinCommands } from "./index.js";
import { commandLoaders, loadAllCommands, loadCommand } from "./lazy.js";

describe("lazily loaded commands", () => {
  it("are the built-in commands: same names, same order, same objects", async () => {
    expect(Object.keys(commandLoaders)).toEqual(Object.keys(builtinCommands));
    const all = await loadAllCommands();
    expect(Object.keys(all)).toEqual(Object.keys(builtinCommands));
    for (const [name, command] of Object.entries(builtinCommands)) {
      expect(all[name]).toBe(command);
      expect(await loadCommand(name)).toBe(command);
      expect(command.name).toBe(name);
    }
  });

  it("an unknown name (an Object.prototype key included) is undefined", async () => {
    expect(await loadCommand("evaluate")).toBeUndefined();
    expect(await loadCommand("toString")).toBeUndefined();
  });
});
