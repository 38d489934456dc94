// Command pause is the sandbox ("infra") container of every pod in impfuzz's offline kind node image:
// it holds the pod's namespaces open and does nothing else. As PID 1 of the pod's PID namespace it
// also reaps orphaned children, and it exits on SIGINT/SIGTERM so pod deletion is immediate.
// Written here because the official pause image cannot be pulled on machines without a registry.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range signals {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		// Reap every exited child; several SIGCHLDs may have been merged into one.
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
