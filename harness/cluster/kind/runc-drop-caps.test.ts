import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The Docker runtime .ci/docker-up installs on machines whose bounding set lacks capabilities that
// --privileged asks for. Built for real; a stand-in "runc" records what it was handed.
const SOURCE = join(dirname(fileURLToPath(import.meta.url)), "runc-drop-caps");
let work = "";
let wrapper = "";
let fakeRunc = "";

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "impfuzz-test-runc-"));
  wrapper = join(work, "runc-drop-caps");
  await execa("go", ["build", "-o", wrapper, "."], { cwd: SOURCE, env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod" } });
  fakeRunc = join(work, "runc");
  writeFileSync(fakeRunc, `#!/bin/sh\nprintf '%s\\n' "$@" > "${work}/args"\n`);
  chmodSync(fakeRunc, 0o755);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ALL = ["CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_SYS_RESOURCE", "CAP_BPF", "CAP_NET_ADMIN"];
const caps = () => ({ bounding: [...ALL], effective: [...ALL], permitted: [...ALL], inheritable: [] as string[] });
/** Every capability up to CAP_CHECKPOINT_RESTORE (40) except CAP_SYS_RESOURCE (24) and CAP_BPF (39). */
const MASK_WITHOUT_SYS_RESOURCE_AND_BPF = (((1n << 41n) - 1n) & ~(1n << 24n) & ~(1n << 39n)).toString(16);
const FULL_MASK = ((1n << 41n) - 1n).toString(16);

async function run(args: string[], mask: string) {
  return execa(wrapper, args, { env: { ...process.env, IMPFUZZ_REAL_RUNC: fakeRunc, IMPFUZZ_CAP_BOUNDING: mask }, reject: false });
}

describe("runc-drop-caps", () => {
  it("removes the capabilities the machine lacks from a bundle's spec on create, and passes the arguments on unchanged", async () => {
    const bundle = join(work, "bundle");
    mkdirSync(bundle, { recursive: true });
    const spec = { ociVersion: "1.0.2", process: { args: ["/sbin/init"], capabilities: caps() }, hostname: "node" };
    writeFileSync(join(bundle, "config.json"), JSON.stringify(spec));
    const args = ["--root", "/run/docker/runtime-runc/moby", "--log", "/x/log.json", "create", "--bundle", bundle, "--pid-file", "/x/pid", "id1"];
    const r = await run(args, MASK_WITHOUT_SYS_RESOURCE_AND_BPF);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(work, "args"), "utf8").trim().split("\n")).toEqual(args);
    const patched = JSON.parse(readFileSync(join(bundle, "config.json"), "utf8"));
    const kept = ["CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_NET_ADMIN"];
    expect(patched.process.capabilities).toEqual({ bounding: kept, effective: kept, permitted: kept, inheritable: [] });
    expect(patched.hostname).toBe("node");
    expect(patched.process.args).toEqual(["/sbin/init"]);
  });

  it("patches the --process file of an exec (docker exec into a privileged container)", async () => {
    const proc = join(work, "process.json");
    writeFileSync(proc, JSON.stringify({ args: ["kubeadm", "init"], capabilities: caps() }));
    const r = await run(["exec", "--process", proc, "--detach", "id1"], MASK_WITHOUT_SYS_RESOURCE_AND_BPF);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(proc, "utf8")).capabilities.effective).toEqual(["CAP_CHOWN", "CAP_SYS_ADMIN", "CAP_NET_ADMIN"]);
  });

  it("changes nothing on a machine with the full bounding set", async () => {
    const bundle = join(work, "full");
    mkdirSync(bundle, { recursive: true });
    const raw = JSON.stringify({ process: { capabilities: caps() } });
    writeFileSync(join(bundle, "config.json"), raw);
    expect((await run(["create", "-b", bundle, "id2"], FULL_MASK)).exitCode).toBe(0);
    expect(readFileSync(join(bundle, "config.json"), "utf8")).toBe(raw);
  });

  it("leaves other commands alone even when a later argument is a command word", async () => {
    const r = await run(["state", "create"], MASK_WITHOUT_SYS_RESOURCE_AND_BPF);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(work, "args"), "utf8").trim().split("\n")).toEqual(["state", "create"]);
  });
});
