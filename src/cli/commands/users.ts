/**
 * Dashboard users (name + argon2 hash in the users file):
 *
 *   users add NAME --password-stdin    add a user or change its password; the password is read from stdin
 *   users list [--json]                the user names
 *   users remove NAME                  remove a user (exit 1 when there is none of that name)
 *
 * The password never comes from the command line. Functions take their options, an output
 * sink and a stdin reader so tests run them in process.
 */
import path from "node:path";
import type { Command } from "commander";
import { UsageError } from "../../errors.js";
import { UsersFile } from "../../dashboard/users/users-file.js";
import { settingsFrom, withCommonOptions, type CommonOptions } from "../common.js";
import { action, processIO, render, type CommandIO } from "../output.js";

export interface UsersAddOptions extends CommonOptions {
  passwordStdin?: boolean;
}

export interface UsersListOptions extends CommonOptions {
  json?: boolean;
}

/** The users file: setting dashboard.users_file, default `<warehouse>/users.json`. */
export function usersFileFrom(opts: CommonOptions): UsersFile {
  const settings = settingsFrom(opts).values;
  return new UsersFile(settings.dashboardUsersFile ?? path.join(settings.warehouse, "users.json"));
}

export async function readAllStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

export async function usersAdd(
  name: string,
  opts: UsersAddOptions,
  io: CommandIO = processIO,
  readStdin: () => Promise<string> = readAllStdin,
): Promise<number> {
  if (!opts.passwordStdin) {
    throw new UsageError("give the password on stdin with --password-stdin (never on the command line)");
  }
  const password = (await readStdin()).replace(/\r?\n$/, "");
  if (password === "") throw new UsageError("empty password on stdin");
  const file = usersFileFrom(opts);
  const added = await file.add(name, password);
  io.out(`${added ? "added" : "changed the password of"} user ${name} in ${file.file}`);
  return 0;
}

export async function usersList(opts: UsersListOptions, io: CommandIO = processIO): Promise<number> {
  const file = usersFileFrom(opts);
  const users = await file.list();
  if (opts.json) {
    for (const u of users) io.out(JSON.stringify({ name: u.name }));
    return 0;
  }
  if (users.length === 0) {
    io.out(`no users in ${file.file}`);
    return 0;
  }
  io.out(
    render(
      users.map((u) => ({ name: u.name })),
      "table",
    ),
  );
  return 0;
}

export async function usersRemove(
  name: string,
  opts: CommonOptions,
  io: CommandIO = processIO,
): Promise<number> {
  const file = usersFileFrom(opts);
  if (!(await file.remove(name))) {
    io.err(`no user ${name} in ${file.file}`);
    return 1;
  }
  io.out(`removed user ${name} from ${file.file}`);
  return 0;
}

export function registerUsersCommand(program: Command): void {
  const users = program
    .command("users")
    .description("dashboard users (name + argon2 hash in the users file)");
  withCommonOptions(
    users
      .command("add <name>")
      .description("add a user or change its password; the password is read from stdin")
      .option("--password-stdin", "read the password from stdin (required)"),
  ).action(action((name: string, opts: UsersAddOptions) => usersAdd(name, opts)));
  withCommonOptions(
    users.command("list").description("the user names").option("--json", "JSON lines"),
  ).action(action((opts: UsersListOptions) => usersList(opts)));
  withCommonOptions(users.command("remove <name>").description("remove a user")).action(
    action((name: string, opts: CommonOptions) => usersRemove(name, opts)),
  );
}
