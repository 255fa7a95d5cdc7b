package main

import (
	"log"
	"os"
	"time"
)

// exitWithParent ends the process once its parent, the Terraform CLI, is gone. Terraform stops its
// providers when it exits, but a terraform killed outright (SIGKILL, a CI runner's timeout) cannot,
// and an orphaned provider that writes nothing would idle forever.
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
