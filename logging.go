package main

import "os"

// sdkLogSettings are the plugin SDK's logger levels; unset, they default to TRACE.
var sdkLogSettings = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_DTS"}

// quietUnlessLogging turns the SDK's loggers off when Terraform keeps nothing a provider logs
// (neither TF_LOG nor TF_LOG_PROVIDER is set): a plan of 200 jobs otherwise writes thousands of
// TRACE lines for Terraform to parse and drop, 14% of the provider's CPU time (see BENCHMARKS.md).
func quietUnlessLogging() {
	if os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
		return
	}
	for _, name := range sdkLogSettings {
		if _, set := os.LookupEnv(name); !set {
			_ = os.Setenv(name, "OFF")
		}
	}
}
