package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

func TestServesAFleet(t *testing.T) {
	var stderr syncBuffer
	endpoint, stop := startFake(t, []string{"-duration", "1s", "-fleet", "3", "-quiet",
		"-access-key-id", "fleet-key", "-access-key-secret", "fleet-secret"}, io.Discard, &stderr)
	defer stop()
	if log := stderr.String(); !strings.Contains(log, `a fleet tagged cutover = "orders": 3 synchronization jobs dtsorders0001`) {
		t.Errorf("the startup message does not describe the fleet:\n%s", log)
	}
	current := func() string {
		body := rpcCall(t, endpoint, "fleet-key", "fleet-secret", map[string]string{
			"Action": "DescribeDtsJobs", "JobType": "SYNC", "Region": "cn-hangzhou", "RegionId": "cn-hangzhou",
			"Tags": `[{"key":"cutover","value":"orders"}]`, "PageSize": "30", "PageNumber": "1",
		})
		list, _ := body["DtsJobList"].([]any)
		var jobs []string
		for _, it := range list {
			m, _ := it.(map[string]any)
			sync, _ := m["DataSynchronizationStatus"].(map[string]any)
			jobs = append(jobs, fmt.Sprint(m["DtsJobName"], " ", sync["Status"], " ", m["Delay"]))
		}
		return strings.Join(jobs, ", ")
	}
	legacy := func() string {
		body := rpcCall(t, endpoint, "fleet-key", "fleet-secret", map[string]string{
			"Action": "DescribeMigrationJobs", "RegionId": "cn-hangzhou", "Tag.1.Key": "cutover", "Tag.1.Value": "orders",
		})
		wrapper, _ := body["MigrationJobs"].(map[string]any)
		list, _ := wrapper["MigrationJob"].([]any)
		var jobs []string
		for _, it := range list {
			m, _ := it.(map[string]any)
			sync, _ := m["DataSynchronization"].(map[string]any)
			jobs = append(jobs, fmt.Sprint(m["MigrationJobID"], " ", sync["status"], " ", sync["Delay"]))
		}
		return strings.Join(jobs, ", ")
	}
	if got, want := current(), "orders-001 Migrating 60, orders-002 Migrating 60, orders-003 Migrating 60"; got != want {
		t.Errorf("the first listing: %s, want %s", got, want)
	}
	if got, want := legacy(), "dtsordersmig0001 Migrating 60, dtsordersmig0002 Migrating 60, dtsordersmig0003 Migrating 60"; got != want {
		t.Errorf("the first legacy listing: %s, want %s", got, want)
	}
	time.Sleep(1100 * time.Millisecond)
	if got, want := current(), "orders-001 Catched 0, orders-002 Catched 0, orders-003 Catched 0"; got != want {
		t.Errorf("after -duration: %s, want %s", got, want)
	}
	if got := legacy(); strings.Count(got, "Catched 0") != 3 {
		t.Errorf("after -duration the legacy fleet is %s", got)
	}
	stop()
}

func TestRejectsABadFleet(t *testing.T) {
	for _, n := range []string{"-1", "10000", "many"} {
		err := run(context.Background(), []string{"-fleet", n}, io.Discard, io.Discard)
		if err == nil || errors.Is(err, context.Canceled) {
			t.Errorf("-fleet %s: %v, want an error", n, err)
		}
	}
}
