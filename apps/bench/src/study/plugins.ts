import type { PluginRecord } from "@transseg/cli";
import type { StudySettings } from "./jobs.js";

const label = (p: PluginRecord) => `${p.name}${p.version ? ` ${p.version}` : ""} (sha256 ${p.sha256.slice(0, 12)}…)`;

/**
 * Throws when a plugin the study was run with is not among `loaded` (same name, version and
 * module SHA-256): its results name the plugin's ids, which only it resolves. `where` names the
 * study's file in the message.
 */
export function checkStudyPlugins(settings: Pick<StudySettings, "plugins">, loaded: readonly PluginRecord[], where: string): void {
  for (const p of settings.plugins) {
    if (loaded.some((l) => l.name === p.name && l.version === p.version && l.sha256 === p.sha256)) continue;
    const other = loaded.find((l) => l.name === p.name);
    throw new Error(`${where}: the study was run with plugin ${label(p)}${other ? `, but ${label(other)} is loaded` : `; load it with --plugin (it was ${p.file})`}`);
  }
}
