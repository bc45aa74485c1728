// Runs a command under /usr/bin/time -v and returns wall seconds, CPU seconds (user + system)
// and peak RSS (MB).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export function measure(command, args) {
  const timed = existsSync("/usr/bin/time");
  const result = timed
    ? spawnSync("/usr/bin/time", ["-v", command, ...args], { encoding: "utf8" })
    : spawnSync(command, args, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
  }
  const field = (name) => result.stderr.match(new RegExp(`${name}: (.+)`))?.[1];
  const wall = field("Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)");
  const seconds = wall ? wall.split(":").reduce((s, part) => s * 60 + Number(part), 0) : NaN;
  const rssKb = Number(field("Maximum resident set size \\(kbytes\\)"));
  const cpuSeconds = Number(field("User time \\(seconds\\)")) + Number(field("System time \\(seconds\\)"));
  return { seconds, cpuSeconds, peakRssMb: rssKb / 1024, stdout: result.stdout };
}
