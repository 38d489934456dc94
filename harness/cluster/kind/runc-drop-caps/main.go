// Command runc-drop-caps is a Docker runtime for machines whose capability bounding set lacks
// capabilities that `docker run --privileged` grants (CAP_SYS_RESOURCE on the impfuzz CI VMs): runc
// then fails with "unable to apply caps: operation not permitted", and kind always runs its nodes
// privileged. It removes every capability the calling process cannot hold from the OCI spec runc is
// about to use (a bundle's config.json on create/run, the --process file on exec) and then becomes
// the real runc. Nothing else in the spec changes; containers that never asked for those
// capabilities are untouched.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// capNames maps capability numbers to the names OCI specs use (linux/capability.h).
var capNames = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
	"CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
	"CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
	"CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
}

// missingCaps lists the named capabilities absent from this process's bounding set (or from the
// hex mask in IMPFUZZ_CAP_BOUNDING, which the tests use to stand for another machine).
func missingCaps() (map[string]bool, error) {
	mask := os.Getenv("IMPFUZZ_CAP_BOUNDING")
	if mask == "" {
		status, err := os.ReadFile("/proc/self/status")
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(status), "\n") {
			if strings.HasPrefix(line, "CapBnd:") {
				mask = strings.TrimSpace(strings.TrimPrefix(line, "CapBnd:"))
			}
		}
		if mask == "" {
			return nil, fmt.Errorf("no CapBnd line in /proc/self/status")
		}
	}
	bnd, err := strconv.ParseUint(mask, 16, 64)
	if err != nil {
		return nil, fmt.Errorf("capability mask %q: %w", mask, err)
	}
	missing := map[string]bool{}
	for i, name := range capNames {
		if bnd&(1<<uint(i)) == 0 {
			missing[name] = true
		}
	}
	return missing, nil
}

// dropFrom rewrites the capability sets of an OCI process object in place; reports whether it changed.
func dropFrom(process map[string]any, missing map[string]bool) bool {
	caps, ok := process["capabilities"].(map[string]any)
	if !ok {
		return false
	}
	changed := false
	for set, v := range caps {
		list, ok := v.([]any)
		if !ok {
			continue
		}
		kept := list[:0:0]
		for _, c := range list {
			if s, ok := c.(string); ok && missing[s] {
				changed = true
				continue
			}
			kept = append(kept, c)
		}
		caps[set] = kept
	}
	return changed
}

// patchFile removes the missing capabilities from a spec file: the whole spec (process under
// "process") when bundle is true, a bare process object otherwise.
func patchFile(path string, bundle bool, missing map[string]bool) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	process := doc
	if bundle {
		p, ok := doc["process"].(map[string]any)
		if !ok {
			return nil
		}
		process = p
	}
	if !dropFrom(process, missing) {
		return nil
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, info.Mode().Perm())
}

// flagValue finds `--name value`, `--name=value` or `-short value` in args.
func flagValue(args []string, long, short string) (string, bool) {
	for i, a := range args {
		switch {
		case a == "--"+long || (short != "" && a == "-"+short):
			if i+1 < len(args) {
				return args[i+1], true
			}
		case strings.HasPrefix(a, "--"+long+"="):
			return strings.TrimPrefix(a, "--"+long+"="), true
		}
	}
	return "", false
}

// realRunc is the first runc on PATH that is not this program.
func realRunc() (string, error) {
	if p := os.Getenv("IMPFUZZ_REAL_RUNC"); p != "" {
		return p, nil
	}
	self, _ := os.Executable()
	self, _ = filepath.EvalSymlinks(self)
	for _, dir := range filepath.SplitList(os.Getenv("PATH") + ":/usr/sbin:/usr/bin:/sbin:/bin") {
		p := filepath.Join(dir, "runc")
		resolved, err := filepath.EvalSymlinks(p)
		if err != nil || resolved == self {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no runc on PATH besides %s", self)
}

// globalFlagsWithValue are runc's global flags that take a separate value argument.
var globalFlagsWithValue = map[string]bool{"--root": true, "--log": true, "--log-format": true, "--criu": true, "--rootless": true}

// subcommand is runc's command word: the first argument that is neither a global flag nor its value.
func subcommand(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			return a, args[i+1:]
		}
		if globalFlagsWithValue[a] {
			i++
		}
	}
	return "", nil
}

func main() {
	args := os.Args[1:]
	missing, err := missingCaps()
	if err != nil {
		fmt.Fprintln(os.Stderr, "runc-drop-caps:", err)
		os.Exit(1)
	}
	cmd, rest := subcommand(args)
	if len(missing) > 0 {
		if cmd == "create" || cmd == "run" {
			bundle, ok := flagValue(rest, "bundle", "b")
			if !ok {
				bundle, _ = os.Getwd()
			}
			if err := patchFile(filepath.Join(bundle, "config.json"), true, missing); err != nil {
				fmt.Fprintln(os.Stderr, "runc-drop-caps:", err)
				os.Exit(1)
			}
		}
		if cmd == "exec" {
			if p, ok := flagValue(rest, "process", "p"); ok {
				if err := patchFile(p, false, missing); err != nil {
					fmt.Fprintln(os.Stderr, "runc-drop-caps:", err)
					os.Exit(1)
				}
			}
		}
	}
	runc, err := realRunc()
	if err != nil {
		fmt.Fprintln(os.Stderr, "runc-drop-caps:", err)
		os.Exit(1)
	}
	if err := syscall.Exec(runc, append([]string{"runc"}, args...), os.Environ()); err != nil {
		fmt.Fprintln(os.Stderr, "runc-drop-caps: exec", runc+":", err)
		os.Exit(1)
	}
}
