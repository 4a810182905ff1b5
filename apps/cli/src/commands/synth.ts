import { builtinProfiles, synthesizeDataset, type TaskProfile } from "@transseg/datasets";
import { choiceOpt, flag, intOpt, requiredOpt } from "../args.js";
import type { Command } from "../command.js";
import { progress } from "../io.js";
import { commandPlugins, PLUGIN_OPTION } from "../plugins/options.js";

export const synthCommand = {
  name: "synth",
  summary: "Write a synthetic dataset for a task profile in the Decathlon layout",
  usage: `Usage: transseg synth --task <profile> -o <dir> [--cases 8] [--test-cases 2] [--size 64] [--seed 1234]

Anatomy-like phantoms (ellipsoids, tubes, nested organs with lesions) with the profile's
modality-like intensities, channels (4D files for multi-channel tasks), classes and anisotropic
spacing; structures begin, end and thin out between slices so depth information helps.
Deterministic for a seed. Writes dataset.json, imagesTr/, labelsTr/, imagesTs/.

Options:
  --task <profile>    ${Object.keys(builtinProfiles).join(", ")}, or a plugin's
  -o, --output <dir>  output folder
  --cases <n>         training cases (default 8)
  --test-cases <n>    unlabelled test cases (default 2)
  --size <n>          in-plane size in voxels (default 64)
  --seed <n>          random seed (default 1234)
  --quiet             no progress
  --plugin <module>   add task profiles from an ES module (path or package name; repeatable;
                      also TRANSSEG_PLUGINS=a,b)`,
  options: {
    task: { type: "string" },
    output: { type: "string", short: "o" },
    cases: { type: "string" },
    "test-cases": { type: "string" },
    size: { type: "string" },
    seed: { type: "string" },
    quiet: { type: "boolean" },
    ...PLUGIN_OPTION,
  },
  async run(args, io) {
    const { added } = await commandPlugins(args, io, flag(args, "quiet"));
    const profiles: Readonly<Record<string, TaskProfile>> = { ...builtinProfiles, ...added.profiles };
    const profile = profiles[choiceOpt(args, "task", "task profile", Object.keys(profiles))]!;
    const outDir = requiredOpt(args, "output");
    const bar = progress(io, flag(args, "quiet"), `synth ${profile.id}`);
    const result = await synthesizeDataset({
      profile,
      outDir,
      cases: intOpt(args, "cases", 8),
      testCases: intOpt(args, "test-cases", 2, 0),
      size: intOpt(args, "size", 64, 8),
      seed: intOpt(args, "seed", 1234, 0),
      onProgress: (e) => bar.update(e.done, e.total),
    });
    bar.done();
    io.stdout(`${result.root}: ${result.json.training.length} training and ${result.json.test.length} test cases of ${profile.id}\n`);
  },
} as const satisfies Command;
