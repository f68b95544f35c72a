package engine

import "runtime/debug"

// Version is the release version, set at build time with
// -ldflags "-X github.com/integrate-dev/integrate/engine.Version=v1.2.3"; otherwise the
// module version from the build info, or "dev".
var Version = buildVersion()

func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
