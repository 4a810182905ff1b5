/**
 * Prints the depth-information table of the synthetic profiles (measureDepthInformation) as
 * Markdown, beside the paper's Ours − w/o D:
 *   pnpm exec tsx --conditions=source packages/datasets/scripts/depth-information.ts [--cases n] [--json]
 */
import { parseArgs } from "node:util";
import { builtinProfiles, measureDepthInformation } from "../src/index.js";

const { values } = parseArgs({ options: { cases: { type: "string" }, json: { type: "boolean" } } });
const cases = values.cases === undefined ? 6 : Number(values.cases);
if (!(Number.isInteger(cases) && cases >= 1)) throw new Error(`--cases must be a positive integer (got ${values.cases})`);
const rows = Object.values(builtinProfiles).map((p) => ({ profile: p, info: measureDepthInformation({ profile: p, cases }) }));
if (values.json) {
  process.stdout.write(`${JSON.stringify(rows.map((r) => r.info), null, 1)}\n`);
} else {
  const pct = (x: number) => (100 * x).toFixed(1);
  process.stdout.write(`| profile | paper Ours − w/o D | gap (points) | per class: centre-slice rule → window rule Dice (%) |\n| --- | ---: | ---: | --- |\n`);
  for (const { profile, info } of [...rows].sort((a, b) => b.info.meanGap - a.info.meanGap)) {
    const paper = (profile.paper.dice - profile.paper.diceWithoutDepth).toFixed(2);
    process.stdout.write(`| ${profile.id} | ${paper} | ${pct(info.meanGap)} | ${info.classes.map((c) => `${c.name} ${pct(c.centreDice)} → ${pct(c.windowDice)}`).join("; ")} |\n`);
  }
}
