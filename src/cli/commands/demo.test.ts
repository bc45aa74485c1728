/**
 * `tokyobeta demo`, the README's main command, as a newcomer runs it: generates a small world,
 * backfills it, runs the daily job, then serves the dashboard on 127.0.0.1 with a printed
 * login that works; Ctrl-C (SIGINT) stops it with exit 0. `--no-serve` stops after the run.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), "tb-demo-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const world = path.join(root, "demo-world");

function startDemo(args: string[]) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(REPO, "src/cli/main.ts"), "demo", ...args],
    {
      cwd: REPO,
      env: { ...process.env, TOKYOBETA_SCHEDULE_DAILY: "off", TOKYOBETA_SCHEDULE_FRESHNESS: "off" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, out, exited };
}

async function until(what: string, check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function cookies(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
}

describe("tokyobeta demo", () => {
  it("ends by serving the dashboard on 127.0.0.1 with a printed login that works; SIGINT exits 0", async () => {
    const demo = startDemo(["--dir", world, "--days", "4", "--port", "0"]);
    try {
      await until(
        "the dashboard",
        () =>
          /listening on http:\/\/127\.0\.0\.1:\d+\//.test(demo.out.stdout) || demo.child.exitCode !== null,
        240_000,
      );
      expect(demo.out.stdout).toMatch(/run \S+: SUCCEEDED/);
      const [, user, password] = /dashboard login: user (\S+), password (\S+)/.exec(demo.out.stdout)!;
      const url = /listening on (http:\S+)/.exec(demo.out.stdout)![1]!;
      const form = await fetch(new URL("__auth/login", url));
      const token = /name="csrf_token" value="([^"]+)"/.exec(await form.text())![1]!;
      const body = new URLSearchParams({ username: user!, password: password!, csrf_token: token });
      const login = await fetch(new URL("__auth/login", url), {
        method: "POST",
        body,
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies(form) },
      });
      expect(login.status).toBe(303);
      expect(login.headers.getSetCookie().join("\n")).toMatch(/evidence_session=[^;]+/);
      demo.child.kill("SIGINT");
      expect(await demo.exited).toBe(0);
      expect(demo.out.stderr).toContain("SIGINT received");
    } finally {
      if (demo.child.exitCode === null) demo.child.kill("SIGKILL");
    }
  }, 300_000);

  it("--no-serve stops after the daily run", async () => {
    const demo = startDemo(["--dir", world, "--no-serve"]);
    expect(await demo.exited).toBe(0);
    expect(demo.out.stdout).toMatch(/run \S+: SUCCEEDED/);
    expect(demo.out.stdout).not.toContain("listening on");
    expect(demo.out.stdout).not.toContain("dashboard login");
  }, 300_000);
});
