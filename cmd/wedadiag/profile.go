package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// profileEnv names a file to write a CPU profile of the whole run to
// (pprof format): where a scan or the daemon spends its time on the
// user's own logs, and what scripts/pgo gathers the build's profile
// (default.pgo) from. The daemon writes it when it stops (SIGTERM).
const profileEnv = "WEDADIAG_CPUPROFILE"

// allocsEnv names a file to write, when the run ends, the profile of
// what it allocated (pprof's allocs: bytes and objects by call stack,
// sampled): where the collector's work comes from.
const allocsEnv = "WEDADIAG_ALLOCSPROFILE"

// startProfile starts the CPU profile profileEnv asks for and returns
// what stops it. A profile that cannot start is reported and skipped: it
// never stops the command.
func startProfile() (stop func()) {
	stopCPU := startCPUProfile()
	return func() {
		stopCPU()
		writeAllocs()
	}
}

// writeAllocs writes the allocs profile allocsEnv asks for.
func writeAllocs() {
	path := os.Getenv(allocsEnv)
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "wedadiag: %s: %v\n", allocsEnv, err)
	}
}

func startCPUProfile() (stop func()) {
	path := os.Getenv(profileEnv)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		if err = pprof.StartCPUProfile(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "wedadiag: %s: %v (no profile written)\n", profileEnv, err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "wedadiag: %s: %v\n", profileEnv, err)
		}
	}
}
