// Command wedadiag is the CLI and daemon of wedadiag: it reads flags and
// configuration and wires the packages together (tailer → rules → diagnose →
// notify, web). It holds no logic of its own beyond that wiring and printing,
// and the profiles WEDADIAG_CPUPROFILE and WEDADIAG_ALLOCSPROFILE ask for.
// Its build is profile-guided by default.pgo (scripts/pgo makes it).
package main
