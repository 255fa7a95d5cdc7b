package main

import (
	"slices"
	"strings"
	"testing"
)

func TestParseBenchLine(t *testing.T) {
	cases := []struct {
		line   string
		name   string
		ns     float64
		bytes  int64
		allocs int64
		ok     bool
	}{
		{"BenchmarkSignRequest-2   	  330811	      3469 ns/op	    2328 B/op	      15 allocs/op", "SignRequest", 3469, 2328, 15, true},
		{"BenchmarkDecodeDocumentedSample-2   	   21381	     61779 ns/op	  41.52 MB/s	   16201 B/op	     173 allocs/op", "DecodeDocumentedSample", 61779, 16201, 173, true},
		{"BenchmarkX-16 100 12.5 ns/op 0 B/op 0 allocs/op", "X", 12.5, 0, 0, true},
		{"BenchmarkNoMem-2 100 12 ns/op", "", 0, 0, 0, false},
		{"goos: linux", "", 0, 0, 0, false},
		{"PASS", "", 0, 0, 0, false},
	}
	for _, c := range cases {
		name, ns, b, allocs, ok := parseBenchLine(c.line)
		if name != c.name || ns != c.ns || b != c.bytes || allocs != c.allocs || ok != c.ok {
			t.Errorf("parseBenchLine(%q) = %q %v %d %d %v, want %q %v %d %d %v",
				c.line, name, ns, b, allocs, ok, c.name, c.ns, c.bytes, c.allocs, c.ok)
		}
	}
}

func TestMedian(t *testing.T) {
	cases := []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	}
	for _, c := range cases {
		in := slices.Clone(c.in)
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
		if !slices.Equal(in, c.in) {
			t.Errorf("median reordered its argument: %v", c.in)
		}
	}
}

func TestIsolatedEnv(t *testing.T) {
	env := isolatedEnv([]string{
		"PATH=/usr/bin", "HOME=/root", "TF_LOG=TRACE", "TF_CLI_CONFIG_FILE=/nowhere",
		"ALIBABA_CLOUD_ACCESS_KEY_ID=real", "ALICLOUD_SECRET_KEY=real", "DTS_ENDPOINT=https://x",
		envLaunchProvider + "=/bin/p", "CHECKPOINT_TIMEOUT=1",
	}, "/tmp/home")
	got := strings.Join(env, "\n")
	for _, gone := range []string{"/root", "TF_LOG=", "/nowhere", "real", "DTS_ENDPOINT", envLaunchProvider, "CHECKPOINT_TIMEOUT"} {
		if strings.Contains(got, gone) {
			t.Errorf("the environment keeps %q:\n%s", gone, got)
		}
	}
	for _, kept := range []string{"PATH=/usr/bin", "HOME=/tmp/home", "CHECKPOINT_DISABLE=1", "ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"} {
		if !slices.Contains(env, kept) {
			t.Errorf("the environment lacks %q:\n%s", kept, got)
		}
	}
}

func TestCountsText(t *testing.T) {
	if got := countsText(map[int]int{200: 5}); got != "200 in all 5 runs" {
		t.Errorf("got %q", got)
	}
	if got := countsText(map[int]int{2: 1, 1: 4}); got != "1 (4 runs), 2 (1 runs)" {
		t.Errorf("got %q", got)
	}
}
