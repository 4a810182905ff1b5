import * as tf from "@tensorflow/tfjs";
import * as os from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { cpuBackend } from "./backends/cpu.js";
import { tensorflowGpuBackend } from "./backends/tensorflow-gpu.js";
import { tensorflowBackend } from "./backends/tensorflow.js";
import { BackendUnavailableError } from "./errors.js";
import { initBackend } from "./init-backend.js";
import { isPackageMissing } from "./load-package.js";
import { builtinBackends } from "./registry.js";
import type { BackendPlugin, BackendRegistry, ModuleLoader } from "./types.js";

/** What Node's ESM loader throws for a package that is not installed. */
function notInstalled(specifier: string): Error {
  return Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/index.js`), { code: "ERR_MODULE_NOT_FOUND" });
}

/** A stand-in for @tensorflow/tfjs-node(-gpu): importing it registers a "tensorflow" backend. */
class FakeTensorflowBackend extends tf.KernelBackend {
  override dispose(): void {}
}
const fakeNative = async (): Promise<unknown> => {
  tf.registerBackend("tensorflow", () => new FakeTensorflowBackend(), 0);
  return {};
};

/** Loader: the listed packages are "installed" (fake), the rest missing. */
function loader(installed: Record<string, () => Promise<unknown>>): ModuleLoader & { calls: string[] } {
  const calls: string[] = [];
  const load = async (specifier: string): Promise<unknown> => {
    calls.push(specifier);
    const found = installed[specifier];
    if (found === undefined) throw notInstalled(specifier);
    return found();
  };
  return Object.assign(load, { calls });
}

/** The built-in native backends plus cpu: `auto` here never needs the real wasm runtime. */
const noWasm: BackendRegistry = { "tensorflow-gpu": tensorflowGpuBackend, tensorflow: tensorflowBackend, cpu: cpuBackend };

afterEach(async () => {
  await tf.setBackend("cpu");
  if (tf.findBackendFactory("tensorflow") !== null) tf.removeBackend("tensorflow");
});

describe("initBackend: names", () => {
  it("rejects an unknown name with the nearest valid one and the full list, on one line", async () => {
    const error = (await initBackend("wsam").catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('unknown backend "wsam": did you mean "wasm"? (known: auto, tensorflow-gpu, tensorflow, wasm, cpu)');
    await expect(initBackend("tensorflow-gpus")).rejects.toThrow('did you mean "tensorflow-gpu"?');
  });

  it("rejects a thread count that is not a positive integer", async () => {
    await expect(initBackend("cpu", { threads: 0 })).rejects.toThrow("threads must be a positive integer, got 0");
    await expect(initBackend("cpu", { threads: 1.5 })).rejects.toThrow("threads must be a positive integer");
  });

  it("lists the built-in backends from fastest to slowest", () => {
    const bySpeed = Object.values(builtinBackends).sort((a, b) => b.speed - a.speed).map((p) => p.id);
    expect(bySpeed).toEqual(["tensorflow-gpu", "tensorflow", "wasm", "cpu"]);
    for (const [id, plugin] of Object.entries(builtinBackends)) expect(plugin.id).toBe(id);
  });
});

describe("initBackend: explicit backends", () => {
  it("says what to install when an explicit backend's package is missing", async () => {
    const load = loader({});
    const error = await initBackend("tensorflow-gpu", { loader: load }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toBe(`backend "tensorflow-gpu" is unavailable: @tensorflow/tfjs-node-gpu is not installed (pnpm add @tensorflow/tfjs-node-gpu@${tf.version_core})`);
    expect((error as Error).message).not.toContain("\n");
    expect(load.calls).toEqual(["@tensorflow/tfjs-node-gpu"]);
    await expect(initBackend("tensorflow", { loader: load })).rejects.toThrow("@tensorflow/tfjs-node is not installed (pnpm add @tensorflow/tfjs-node@");
  });

  it("tells an installed-but-broken package (e.g. a missing native binding) from a missing one", async () => {
    const broken = loader({
      "@tensorflow/tfjs-node": () => Promise.reject(Object.assign(new Error("Cannot find module '/x/lib/napi-v8/tfjs_binding.node'\nRequire stack:\n- /x/index.js"), { code: "MODULE_NOT_FOUND" })),
    });
    await expect(initBackend("tensorflow", { loader: broken })).rejects.toThrow(
      `backend "tensorflow" is unavailable: @tensorflow/tfjs-node is installed but failed to load: Cannot find module '/x/lib/napi-v8/tfjs_binding.node'`,
    );
  });

  it("activates an installed native backend", async () => {
    const info = await initBackend("tensorflow", { loader: loader({ "@tensorflow/tfjs-node": fakeNative }) });
    expect(info).toMatchObject({ name: "tensorflow", skipped: [] });
    expect(info.description).toMatch(/^tensorflow: TensorFlow C library on the CPU \(@tensorflow\/tfjs-node\)/);
    expect(tf.getBackend()).toBe("tensorflow");
  });

  it("fails when the package loads but registers no backend", async () => {
    await expect(initBackend("tensorflow-gpu", { loader: loader({ "@tensorflow/tfjs-node-gpu": async () => ({}) }) })).rejects.toThrow(
      '@tensorflow/tfjs-node-gpu loaded but registered no "tensorflow" backend',
    );
  });
});

describe("initBackend: auto", () => {
  it("takes the fastest installed backend and says why faster ones were skipped", async () => {
    const load = loader({ "@tensorflow/tfjs-node": fakeNative });
    const info = await initBackend("auto", { loader: load }, noWasm);
    expect(info.name).toBe("tensorflow");
    expect(info.skipped).toEqual([{ name: "tensorflow-gpu", reason: `@tensorflow/tfjs-node-gpu is not installed (pnpm add @tensorflow/tfjs-node-gpu@${tf.version_core})` }]);
    expect(info.description).toContain("; skipped tensorflow-gpu: @tensorflow/tfjs-node-gpu is not installed");
    expect(load.calls).toEqual(["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]);
    expect(tf.getBackend()).toBe("tensorflow");
  });

  it("prefers the GPU package when it is installed", async () => {
    const load = loader({ "@tensorflow/tfjs-node-gpu": fakeNative, "@tensorflow/tfjs-node": fakeNative });
    const info = await initBackend("auto", { loader: load }, { ...noWasm });
    expect(info).toMatchObject({ name: "tensorflow-gpu", skipped: [] });
    expect(load.calls).toEqual(["@tensorflow/tfjs-node-gpu"]);
  });

  it("falls through to the slowest backend with every reason", async () => {
    const info = await initBackend("auto", { loader: loader({}) }, { ...noWasm });
    expect(info.name).toBe("cpu");
    expect(info.skipped.map((s) => s.name)).toEqual(["tensorflow-gpu", "tensorflow"]);
    expect(tf.getBackend()).toBe("cpu");
  });

  it("reports every reason when nothing works", async () => {
    const broken: BackendPlugin = { ...cpuBackend, init: () => Promise.reject(new Error("no\nsecond line")) };
    await expect(initBackend("auto", { loader: loader({}) }, { "tensorflow-gpu": tensorflowGpuBackend, cpu: broken })).rejects.toThrow(
      /^no TensorFlow\.js backend could be initialised: tensorflow-gpu: @tensorflow\/tfjs-node-gpu is not installed .*; cpu: no$/,
    );
  });
});

describe("initBackend: idempotent", () => {
  it("returns the first result without initialising again, and re-activates its backend", async () => {
    let inits = 0;
    const counted: BackendPlugin = { ...cpuBackend, init: () => (inits++, cpuBackend.init()) };
    const registry = { cpu: counted };
    const first = await initBackend("cpu", {}, registry);
    tf.registerBackend("tensorflow", () => new FakeTensorflowBackend(), 0);
    await tf.setBackend("tensorflow");
    const second = await initBackend("cpu", {}, registry);
    expect(second).toBe(first);
    expect(inits).toBe(1);
    expect(tf.getBackend()).toBe("cpu");
  });

  it("retries after a failure", async () => {
    let attempts = 0;
    const flaky: BackendPlugin = { ...cpuBackend, init: () => (++attempts === 1 ? Promise.reject(new Error("first")) : cpuBackend.init()) };
    await expect(initBackend("cpu", {}, { cpu: flaky })).rejects.toThrow("first");
    await expect(initBackend("cpu", {}, { cpu: flaky })).resolves.toMatchObject({ name: "cpu" });
  });
});

describe("isPackageMissing", () => {
  it("matches the package itself, not a package it imports", () => {
    expect(isPackageMissing(notInstalled("@tensorflow/tfjs-node"), "@tensorflow/tfjs-node")).toBe(true);
    expect(isPackageMissing(notInstalled("@tensorflow/tfjs-node-gpu"), "@tensorflow/tfjs-node")).toBe(false);
    expect(isPackageMissing(Object.assign(new Error("Cannot find module 'adm-zip'"), { code: "MODULE_NOT_FOUND" }), "@tensorflow/tfjs-node")).toBe(false);
    expect(isPackageMissing(new Error("Cannot find package '@tensorflow/tfjs-node'"), "@tensorflow/tfjs-node")).toBe(false);
  });

  it("recognises what the real loader throws for a missing package", async () => {
    const error = await import("@transseg/not-a-package" as string).catch((e: unknown) => e);
    expect(isPackageMissing(error, "@transseg/not-a-package")).toBe(true);
  });
});

describe("initBackend: chooseThreads", () => {
  /** A plugin that records the threads it was started with. */
  const recording = (id: BackendPlugin["id"], speed: number, fails = false) => {
    const seen: number[] = [];
    const plugin: BackendPlugin = {
      ...cpuBackend,
      id,
      speed,
      async init(ctx) {
        seen.push(ctx.threads);
        if (fails) throw new BackendUnavailableError(id, "not here");
        return (cpuBackend as BackendPlugin).init(ctx);
      },
    };
    return { plugin, seen };
  };

  it("asks for each backend auto tries, starts it with the answer, and keeps the default for undefined", async () => {
    const native = recording("tensorflow", 3, true);
    const wasm = recording("wasm", 2);
    const asked: string[] = [];
    const registry: BackendRegistry = { tensorflow: native.plugin, wasm: wasm.plugin };
    const info = await initBackend("auto", { chooseThreads: async (b) => (asked.push(b), b === "wasm" ? 1 : undefined) }, registry);
    expect(asked).toEqual(["tensorflow", "wasm"]);
    expect(native.seen).toEqual([os.availableParallelism()]);
    expect(wasm.seen).toEqual([1]);
    expect(info.name).toBe("wasm");
  });

  it("is not asked when threads is given; a bad answer is an error", async () => {
    const wasm = recording("wasm", 2);
    let asked = 0;
    await initBackend("wasm", { threads: 2, chooseThreads: async () => (asked++, 1) }, { wasm: wasm.plugin });
    expect([asked, wasm.seen]).toEqual([0, [2]]);
    const other = recording("wasm", 2);
    await expect(initBackend("wasm", { chooseThreads: async () => 0 }, { wasm: other.plugin })).rejects.toThrow("initBackend: chooseThreads gave 0 for wasm, not a positive integer");
  });
});
