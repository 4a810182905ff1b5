import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * `pnpm pack` of each package (`name → folder` under `root`) into `out`; returns `name → tarball`.
 * The workspace must be built first (`buildWorkspace`).
 */
export function packPackages(root: string, packages: Readonly<Record<string, string>>, out: string): Record<string, string> {
  const tarballs: Record<string, string> = {};
  for (const [name, dir] of Object.entries(packages)) {
    const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as { name: string; version: string };
    if (manifest.name !== name) throw new Error(`${dir}/package.json: name is ${manifest.name}, expected ${name}`);
    execFileSync("pnpm", ["pack", "--pack-destination", out], { cwd: join(root, dir), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const tgz = join(out, `${name.replace(/^@/, "").replace("/", "-")}-${manifest.version}.tgz`);
    if (!existsSync(tgz)) throw new Error(`pnpm pack in ${dir} did not write ${tgz}`);
    tarballs[name] = tgz;
  }
  return tarballs;
}

/** Every package installed under a `node_modules` folder, nested ones included (sorted, unique). */
export function findPackages(nodeModules: string): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || !(entry.isDirectory() || entry.isSymbolicLink())) continue;
      const names = entry.name.startsWith("@") ? readdirSync(join(dir, entry.name)).map((s) => `${entry.name}/${s}`) : [entry.name];
      for (const name of names) {
        found.add(name);
        walk(join(dir, name, "node_modules"));
      }
    }
  };
  walk(nodeModules);
  return [...found].sort();
}

const NETWORK = /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|ENETUNREACH|network|fetch failed/i;

export interface NpmInstallOptions {
  /** `--ignore-scripts` (default false: dependencies' install scripts run, as for a user). */
  readonly ignoreScripts?: boolean;
  /** Extra environment for npm and the install scripts. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * `npm install` of tarballs into `app` (several may run at once: npm's cache is safe to share):
 * offline from npm's cache when it holds everything, else
 * from the registry npm is configured with. Returns null when installed, or the network error
 * when neither the cache nor the registry can provide the dependencies; throws on any other
 * failure (a broken package must fail the test, not skip it).
 */
export async function npmInstall(app: string, tarballs: readonly string[], options: NpmInstallOptions = {}): Promise<string | null> {
  const base = ["install", "--no-audit", "--no-fund", "--no-package-lock", ...(options.ignoreScripts ? ["--ignore-scripts"] : []), ...tarballs];
  const env = { ...process.env, npm_config_update_notifier: "false", ...options.env };
  let last = "";
  for (const mode of ["--offline", "--prefer-offline"]) {
    const r = await run("npm", [...base, mode], app, env, 900_000);
    if (r.status === 0) return null;
    last = r.stderr;
    if (!NETWORK.test(last)) throw new Error(`npm install ${mode} in ${app} failed: ${last.trim().split("\n").slice(-5).join(" | ")}`);
  }
  return last.trim().split("\n").find((l) => NETWORK.test(l)) ?? "the registry cannot be reached";
}

/** A child process's exit status and stderr (a spawn error or a timeout reads as status null). */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ status: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"], timeout: timeoutMs });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (e) => (stderr += e.message));
    child.on("close", (status) => done({ status, stderr }));
  });
}
