// Package clitest runs the built provider through the real terraform CLI, with a dev_overrides CLI
// configuration, for what terraform-plugin-testing cannot show: signals, process lifetime, the
// provider binary under the race detector, and TF_LOG output. Its tests live in _test.go files and
// run with TF_ACC=1.
package clitest
