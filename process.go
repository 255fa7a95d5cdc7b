// The provider as a process: how much it logs and when it ends. The two are coupled.
//
// Terraform runs the provider as its child and reads the child's stderr, where the plugin SDK's
// loggers write a JSON line per event, at TRACE unless told otherwise. When Terraform keeps no
// provider logs (neither TF_LOG nor TF_LOG_PROVIDER is set) it parses those lines only to drop
// them: for a plan of 200 jobs, 14% of the provider's CPU time (see BENCHMARKS.md). So the
// provider turns the SDK loggers off then.
//
// Those lines were also what ended an orphan. A terraform killed outright (SIGKILL, a CI runner's
// timeout) cannot stop its providers; a provider that keeps logging dies on its next write to the
// stderr pipe, whose reader is gone (SIGPIPE), but a provider that writes nothing never notices,
// and would idle forever. So the provider watches its parent and exits once Terraform is gone.

package main

import (
	"log"
	"os"
	"time"
)

// superviseProcess turns the SDK loggers off unless Terraform keeps provider logs and, unless the
// provider runs for a debugger (which is not Terraform), exits it within a second of Terraform.
func superviseProcess(debug bool) {
	quietUnlessLogging()
	if !debug {
		go exitWithParent(time.Second)
	}
}

// sdkLogSettings are the plugin SDK's logger levels; unset, they default to TRACE.
var sdkLogSettings = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_DTS"}

// quietUnlessLogging sets every SDK logger that has no level of its own to OFF, unless TF_LOG or
// TF_LOG_PROVIDER asks Terraform to keep what providers log.
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

// exitWithParent ends the process once its parent, the Terraform CLI, is gone.
func exitWithParent(every time.Duration) {
	watchParent(os.Getppid(), time.Tick(every), os.Getppid, func() {
		log.Printf("[WARN] terraform is gone; stopping the provider")
		os.Exit(1)
	})
}

// watchParent calls stop, once, at the first tick that finds the parent process changed.
func watchParent(parent int, ticks <-chan time.Time, getppid func() int, stop func()) {
	for range ticks {
		if getppid() != parent {
			stop()
			return
		}
	}
}
