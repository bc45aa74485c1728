/**
 * The dashboard's users: a JSON file holding each user's name and argon2id hash only.
 * `{ "users": [{ "name": "aiko", "hash": "$argon2id$..." }] }`, written atomically, mode 0600.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { hash, verify } from "@node-rs/argon2";
import { ConfigError, UsageError } from "../../errors.js";

export interface UserRecord {
  name: string;
  hash: string;
}

const NAME = /^[A-Za-z0-9._@-]{1,64}$/;

export function checkUserName(name: string): void {
  if (!NAME.test(name)) {
    throw new UsageError(`invalid user name '${name}': 1-64 letters, digits, '.', '_', '@' or '-'`);
  }
}

export class UsersFile {
  constructor(readonly file: string) {}

  async list(): Promise<UserRecord[]> {
    if (!existsSync(this.file)) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.file, "utf8"));
    } catch (err) {
      throw new ConfigError(`users file ${this.file} does not parse: ${(err as Error).message}`);
    }
    const users = (parsed as { users?: unknown })?.users;
    if (!Array.isArray(users)) throw new ConfigError(`users file ${this.file}: expected { "users": [...] }`);
    return users.map((u: { name?: unknown; hash?: unknown }) => {
      if (typeof u?.name !== "string" || typeof u?.hash !== "string") {
        throw new ConfigError(`users file ${this.file}: each user needs a name and a hash`);
      }
      return { name: u.name, hash: u.hash };
    });
  }

  /** Adds a user, or replaces the password of an existing one; returns whether it was new. */
  async add(name: string, password: string): Promise<boolean> {
    checkUserName(name);
    if (password.length === 0) throw new UsageError("empty password");
    const users = await this.list();
    const record = { name, hash: await hash(password) };
    const i = users.findIndex((u) => u.name === name);
    if (i >= 0) users[i] = record;
    else users.push(record);
    await this.write(users);
    return i < 0;
  }

  /** Removes a user; returns whether it existed. */
  async remove(name: string): Promise<boolean> {
    const users = await this.list();
    const kept = users.filter((u) => u.name !== name);
    if (kept.length === users.length) return false;
    await this.write(kept);
    return true;
  }

  /** True when the name exists and the password matches (a missing user costs a hash too). */
  async verify(name: string, password: string): Promise<boolean> {
    const user = (await this.list()).find((u) => u.name === name);
    const ok = await verify(user?.hash ?? (await dummyHash()), password).catch(() => false);
    return ok && user !== undefined;
  }

  private async write(users: UserRecord[]): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.file);
  }
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hash("not a real password");
  return dummy;
}
