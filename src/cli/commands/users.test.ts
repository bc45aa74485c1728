/** `tokyobeta users add|list|remove` and `serve`, in process with stdin simulated. */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIO as capture } from "../../../test/support/capture-io.js";
import { UsersFile } from "../../dashboard/users/users-file.js";
import { UsageError } from "../../errors.js";
import { startDashboard } from "./serve.js";
import { readAllStdin, usersAdd, usersList, usersRemove } from "./users.js";

let root: string;
let warehouse: string;
let usersFile: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "tokyobeta-users-"));
  warehouse = path.join(root, "warehouse");
  usersFile = path.join(warehouse, "users.json");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const stdin = (text: string) => () => readAllStdin(Readable.from([Buffer.from(text)]));

describe("tokyobeta users", () => {
  it("adds a user from stdin, storing only the name and an argon2id hash", async () => {
    const io = capture();
    expect(await usersAdd("aiko", { warehouse, passwordStdin: true }, io, stdin("s3cret pass\n"))).toBe(0);
    expect(io.stdout()).toContain(`added user aiko in ${usersFile}`);
    const text = readFileSync(usersFile, "utf8");
    expect(text).not.toContain("s3cret");
    const stored = JSON.parse(text) as { users: Record<string, string>[] };
    expect(stored.users).toHaveLength(1);
    expect(Object.keys(stored.users[0]!).sort()).toEqual(["hash", "name"]);
    expect(stored.users[0]!.hash).toMatch(/^\$argon2id\$/);
    expect(statSync(usersFile).mode & 0o777).toBe(0o600);
    const file = new UsersFile(usersFile);
    expect(await file.verify("aiko", "s3cret pass")).toBe(true);
    expect(await file.verify("aiko", "s3cret pass\n")).toBe(false);
    expect(await file.verify("aiko", "wrong")).toBe(false);
    expect(await file.verify("nobody", "s3cret pass")).toBe(false);
  });

  it("changes the password of an existing user", async () => {
    const io = capture();
    await usersAdd("aiko", { warehouse, passwordStdin: true }, io, stdin("new one"));
    expect(io.stdout()).toContain("changed the password of user aiko");
    expect(await new UsersFile(usersFile).verify("aiko", "new one")).toBe(true);
  });

  it("refuses without --password-stdin, an empty password, and a bad name", async () => {
    await expect(usersAdd("ben", { warehouse }, capture(), stdin("x"))).rejects.toThrow(/--password-stdin/);
    await expect(usersAdd("ben", { warehouse, passwordStdin: true }, capture(), stdin("\n"))).rejects.toThrow(
      UsageError,
    );
    await expect(usersAdd("a b", { warehouse, passwordStdin: true }, capture(), stdin("pw"))).rejects.toThrow(
      /invalid user name/,
    );
  });

  it("lists names only (table and JSON lines)", async () => {
    await usersAdd("ben", { warehouse, passwordStdin: true }, capture(), stdin("pw"));
    const io = capture();
    expect(await usersList({ warehouse }, io)).toBe(0);
    expect(io.stdout()).toMatch(/name\n-+\naiko\s*\nben/);
    expect(io.stdout()).not.toContain("argon2");
    const json = capture();
    await usersList({ warehouse, json: true }, json);
    expect(
      json
        .stdout()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([{ name: "aiko" }, { name: "ben" }]);
  });

  it("removes a user; removing a missing one exits 1", async () => {
    const io = capture();
    expect(await usersRemove("ben", { warehouse }, io)).toBe(0);
    expect(io.stdout()).toContain("removed user ben");
    const missing = capture();
    expect(await usersRemove("ben", { warehouse }, missing)).toBe(1);
    expect(missing.stderr()).toContain("no user ben");
    const list = capture();
    await usersList({ warehouse, json: true }, list);
    expect(list.stdout()).toBe('{"name":"aiko"}');
  });
});

describe("tokyobeta serve", () => {
  it("listens on the given host and port, prints the URL, and requires a login", async () => {
    const io = capture();
    const server = await startDashboard({ warehouse, host: "127.0.0.1", port: "0" }, io);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(io.stdout()).toContain(`dashboard listening on ${server.url}`);
      const res = await fetch(server.url, { redirect: "manual" });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/__auth/login?return_to=%2F");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    } finally {
      await server.stop();
    }
  });
});
