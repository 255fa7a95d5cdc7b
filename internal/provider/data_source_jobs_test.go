package provider

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/openmigrate/terraform-provider-dts/internal/fakedts"
)

const jobsAddr = "data.dts_jobs.test"

func expectJobs(path tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(jobsAddr, path, v)
}

// jobAt is the path of an attribute of the i-th listed job.
func jobAt(i int, name string, more ...string) tfjsonpath.Path {
	p := tfjsonpath.New("jobs").AtSliceIndex(i).AtMapKey(name)
	for _, m := range more {
		p = p.AtMapKey(m)
	}
	return p
}

func jobsConfig(f *fakedts.Server, args string) string {
	return providerConfig(f, "") + fmt.Sprintf(`
data "dts_jobs" "test" {
  %s
}
`, args)
}

// dtsJobs defines n migration jobs in cn-hangzhou, dtsjob0000 named dtsjob-0 and so on, and returns
// their IDs.
func dtsJobs(f *fakedts.Server, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("dtsjob%04d", i)
		f.SetDtsJob(ids[i], fakedts.DtsJob{Region: "cn-hangzhou", Name: fmt.Sprintf("dtsjob-%d", i)})
	}
	return ids
}

func strs(ss ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ss))
	for i, s := range ss {
		checks[i] = str(s)
	}
	return knownvalue.ListExact(checks)
}

// pages returns the page number and size each request asked for.
func pages(reqs []fakedts.Request, sizeParam string) (numbers []int, sizes []string) {
	for _, r := range reqs {
		numbers = append(numbers, r.PageNumber)
		sizes = append(sizes, r.Params.Get(sizeParam))
	}
	return numbers, sizes
}

// checkRequests checks the pages the first read asked, and that they asked 30 jobs each; a request
// after them must start another read (Terraform reads a data source at plan and again at apply).
func checkRequests(t *testing.T, f *fakedts.Server, action string, wantPages []int) []fakedts.Request {
	t.Helper()
	reqs := f.RequestsFor(action)
	numbers, sizes := pages(reqs, "PageSize")
	if len(numbers) < len(wantPages) || !slices.Equal(numbers[:len(wantPages)], wantPages) ||
		len(numbers) > len(wantPages) && numbers[len(wantPages)] != 1 {
		t.Errorf("%s asked pages %v, want %v first", action, numbers, wantPages)
		return reqs
	}
	for _, s := range sizes {
		if s != "30" {
			t.Errorf("%s asked PageSize %v, want 30 on every page", action, sizes)
			break
		}
	}
	return reqs
}

// sent fails the test unless every request carries exactly the given filter parameters, and none of
// the other filters.
func sent(t *testing.T, reqs []fakedts.Request, want map[string]string, filters ...string) {
	t.Helper()
	for _, r := range reqs {
		for _, name := range filters {
			if got, ok := want[name]; ok {
				if r.Params.Get(name) != got {
					t.Errorf("%s = %q, want %q", name, r.Params.Get(name), got)
				}
			} else if _, present := r.Params[name]; present {
				t.Errorf("%s = %q sent, want it left out", name, r.Params.Get(name))
			}
		}
	}
}

var dtsFilterParams = []string{"JobType", "Region", "RegionId", "Type", "Params", "Status", "DtsInstanceId", "Tags", "DtsJobId"}

func TestAccJobsPagesThroughEveryJob(t *testing.T) {
	f := newFake(t)
	ids := dtsJobs(f, 70)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobsConfig(f, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				expectJobs(tfjsonpath.New("ids"), strs(ids...)),
				expectJobs(tfjsonpath.New("jobs"), knownvalue.ListSizeExact(70)),
				expectJobs(jobAt(69, "dts_job_id"), str(ids[69])),
				expectJobs(jobAt(69, "job_name"), str("dtsjob-69")),
				expectJobs(jobAt(0, "job_type"), str("migration")),
				expectJobs(jobAt(0, "status"), str("NotStarted")),
				expectJobs(tfjsonpath.New("job_type"), str("migration")),
				expectJobs(tfjsonpath.New("region_id"), str("cn-hangzhou")),
			},
		}},
	})
	// Each plan and apply reads once: three pages of 30, 30 and 10 each time.
	reqs := f.RequestsFor(fakedts.ActionDescribeDtsJobs)
	if len(reqs)%3 != 0 || len(reqs) == 0 {
		t.Fatalf("%d requests, want three per read", len(reqs))
	}
	numbers, sizes := pages(reqs[:3], "PageSize")
	if !slices.Equal(numbers, []int{1, 2, 3}) || !slices.Equal(sizes, []string{"30", "30", "30"}) {
		t.Errorf("one read asked pages %v of sizes %v, want 1, 2, 3 of 30", numbers, sizes)
	}
	sent(t, reqs, map[string]string{"JobType": "MIGRATION", "Region": "cn-hangzhou", "RegionId": "cn-hangzhou"}, dtsFilterParams...)
}

// readOnce runs one plan-only step, so that the data source is read exactly once.
func readStep(config string, checks ...statecheck.StateCheck) resource.TestStep {
	return resource.TestStep{Config: config, ConfigStateChecks: checks}
}

func TestAccJobsFiltersAreSent(t *testing.T) {
	f := newFake(t)
	match := fakedts.DtsJob{Region: "cn-hangzhou", JobType: "SYNC", Name: "Orders-Sync-Prod", InstanceID: "dtsiorders",
		Tags:  map[string]string{"env": "prod", "team": "data", "extra": "x"},
		Steps: []fakedts.Step{{Body: fakedts.DtsState{Status: "Synchronizing"}.Item("sync-orders")}}}
	f.SetDtsJob("sync-orders", match)
	for id, change := range map[string]func(*fakedts.DtsJob){
		"sync-other-name":     func(j *fakedts.DtsJob) { j.Name = "billing-sync" },
		"sync-other-instance": func(j *fakedts.DtsJob) { j.InstanceID = "dtsibilling" },
		"sync-other-tag":      func(j *fakedts.DtsJob) { j.Tags = map[string]string{"env": "staging", "team": "data"} },
		"sync-other-status": func(j *fakedts.DtsJob) {
			j.Steps = []fakedts.Step{{Body: fakedts.DtsState{Status: "Failed"}.Item("x")}}
		},
		"migration-same": func(j *fakedts.DtsJob) { j.JobType = "MIGRATION" },
	} {
		j := match
		change(&j)
		f.SetDtsJob(id, j)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{readStep(jobsConfig(f, `
  job_type        = "synchronization"
  region_id       = "cn-hangzhou"
  name            = "orders-sync"
  dts_instance_id = "dtsiorders"
  status          = "Synchronizing"
  tags            = { team = "data", env = "prod" }
`),
			expectJobs(tfjsonpath.New("ids"), strs("sync-orders")),
			expectJobs(jobAt(0, "job_type"), str("synchronization")),
			expectJobs(jobAt(0, "dts_instance_id"), str("dtsiorders")),
			expectJobs(jobAt(0, "tags"), knownvalue.MapExact(map[string]knownvalue.Check{"env": str("prod"), "team": str("data"), "extra": str("x")})),
			expectJobs(tfjsonpath.New("job_type"), str("synchronization")),
		)},
	})
	reqs := f.RequestsFor(fakedts.ActionDescribeDtsJobs)
	if len(reqs) == 0 {
		t.Fatal("no request")
	}
	sent(t, reqs, map[string]string{
		"JobType": "SYNC", "Region": "cn-hangzhou", "RegionId": "cn-hangzhou", "Type": "name", "Params": "orders-sync",
		"Status": "Synchronizing", "DtsInstanceId": "dtsiorders",
		"Tags": `[{"key":"env","value":"prod"},{"key":"team","value":"data"}]`,
	}, dtsFilterParams...)
}

func TestAccJobsNameRegexFiltersHere(t *testing.T) {
	f := newFake(t)
	for id, name := range map[string]string{"j1": "orders-prod", "j2": "orders-staging", "j3": "billing-prod", "j4": "xorders-prod"} {
		f.SetDtsJob(id, fakedts.DtsJob{Region: "cn-hangzhou", Name: name})
	}
	f.SetDtsJob("j5", fakedts.DtsJob{Region: "cn-hangzhou"}) // no name: matched as ""
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{
			readStep(jobsConfig(f, `name_regex = "^orders-"`),
				expectJobs(tfjsonpath.New("ids"), knownvalue.SetExact([]knownvalue.Check{str("j1"), str("j2")})),
				expectJobs(tfjsonpath.New("jobs"), knownvalue.ListSizeExact(2))),
			readStep(jobsConfig(f, `name_regex = "prod$"`),
				expectJobs(tfjsonpath.New("ids"), knownvalue.SetExact([]knownvalue.Check{str("j1"), str("j3"), str("j4")}))),
			readStep(jobsConfig(f, `name_regex = "^$"`), expectJobs(tfjsonpath.New("ids"), strs("j5"))),
		},
	})
	// The regex is not the service's business.
	for _, r := range f.RequestsFor(fakedts.ActionDescribeDtsJobs) {
		if slices.ContainsFunc([]string{"Type", "Params"}, r.Params.Has) {
			t.Fatalf("name_regex reached the service: %v", r.Params)
		}
	}
}

func TestAccJobsNoMatchIsAnEmptyList(t *testing.T) {
	f := newFake(t)
	dtsJobs(f, 3)
	empty := knownvalue.ListExact([]knownvalue.Check{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{
			readStep(jobsConfig(f, `job_type = "subscription"`),
				expectJobs(tfjsonpath.New("ids"), empty), expectJobs(tfjsonpath.New("jobs"), empty)),
			readStep(jobsConfig(f, `name_regex = "nothing"`),
				expectJobs(tfjsonpath.New("ids"), empty), expectJobs(tfjsonpath.New("jobs"), empty)),
		},
	})
}

func TestAccJobsDocumentedSampleMapsIntoState(t *testing.T) {
	f := newFake(t)
	f.SetDocumentedDtsJobs("cn-hangzhou")
	// stage is a stage object without NeedUpgrade or CanSwitch; stageFlags one with them.
	stageFlags := func(status string, percent int64, progress, needUpgrade, canSwitch knownvalue.Check) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"status": str(status), "percent": num(percent), "progress": progress, "error_message": null(),
			"need_upgrade": needUpgrade, "can_switch": canSwitch,
		})
	}
	stage := func(status string, percent int64, progress string) knownvalue.Check {
		return stageFlags(status, percent, str(progress), null(), null())
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{readStep(jobsConfig(f, ""),
			expectJobs(tfjsonpath.New("ids"), strs("i03e3zty16i****", "l5512es7w15****")),
			expectJobs(jobAt(0, "dts_job_id"), str("i03e3zty16i****")),
			expectJobs(jobAt(0, "dts_instance_id"), str("dtsi03e3zty16i****")),
			expectJobs(jobAt(0, "job_name"), str("rds_mysql_orders_migration")),
			expectJobs(jobAt(0, "job_type"), str("migration")),
			expectJobs(jobAt(0, "status"), str("Migrating")),
			expectJobs(jobAt(0, "error_message"), null()),
			expectJobs(jobAt(0, "delay"), num(3)),
			expectJobs(jobAt(0, "checkpoint"), num(1616899019)),
			expectJobs(jobAt(0, "checkpoint_time"), str(time.Unix(1616899019, 0).UTC().Format(time.RFC3339))),
			expectJobs(jobAt(0, "create_time"), str("2021-03-16T08:01:19Z")),
			expectJobs(jobAt(0, "tags"), knownvalue.MapExact(map[string]knownvalue.Check{"env": str("prod")})),
			expectJobs(jobAt(0, "precheck_status"), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"status": str("Finished"), "percent": num(100), "error_message": null(),
			})),
			expectJobs(jobAt(0, "structure_initialization_status"), stage("Finished", 100, "12")),
			expectJobs(jobAt(0, "data_initialization_status"), stage("Finished", 100, "44755")),
			expectJobs(jobAt(0, "data_synchronization_status"), stageFlags("Migrating", 95, str("0/0"), boolean(false), null())),
			expectJobs(jobAt(0, "full_data_check_status"),
				stageFlags("Finished", 100, str("1 rows/s (row: 5/5, table: 1/1)"), null(), boolean(true))),
			expectJobs(jobAt(1, "status"), str("PrecheckFailed")),
			expectJobs(jobAt(1, "delay"), num(0)),
			expectJobs(jobAt(1, "checkpoint"), null()),
			expectJobs(jobAt(1, "checkpoint_time"), null()),
			expectJobs(jobAt(1, "tags"), knownvalue.MapExact(map[string]knownvalue.Check{})),
			expectJobs(jobAt(1, "precheck_status", "status"), str("Failed")),
			expectJobs(jobAt(1, "structure_initialization_status"), stage("NotStarted", 0, "0")),
			expectJobs(jobAt(1, "data_synchronization_status"), stageFlags("NotStarted", 0, str("0/0"), boolean(false), null())),
			expectJobs(jobAt(1, "full_data_check_status"), null()),
		)},
	})
}

func TestAccJobsSurviveAJobCreatedMidListing(t *testing.T) {
	f := newFake(t)
	ids := dtsJobs(f, 70)
	// After page 1, a new job is listed first: pages 2 and 3 shift by one and the count grows.
	f.OnPage(fakedts.ActionDescribeDtsJobs, 1, func() {
		f.SetDtsJobFirst("dtsnew", fakedts.DtsJob{Region: "cn-hangzhou", Name: "new"})
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobsConfig(f, `name_regex = "^dtsjob-"`),
			ConfigStateChecks: []statecheck.StateCheck{
				// Every job that was there all along, each once, in order.
				expectJobs(tfjsonpath.New("ids"), strs(ids...)),
			},
		}},
	})
	// Page 2 repeats the last job of page 1, page 3 ends the old list one short of the new count,
	// and an empty page 4 ends the listing.
	checkRequests(t, f, fakedts.ActionDescribeDtsJobs, []int{1, 2, 3, 4})
}

func TestAccJobsPageFaults(t *testing.T) {
	unavailable := fakedts.Fault{Status: 503, Code: "ServiceUnavailable", Message: "The service is unavailable."}
	t.Run("retried page", func(t *testing.T) {
		f := newFake(t)
		ids := dtsJobs(f, 70)
		f.OnPage(fakedts.ActionDescribeDtsJobs, 1, func() { f.QueueFaults(unavailable) })
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testFactories,
			Steps: []resource.TestStep{{
				Config:            jobsConfig(f, ""),
				ConfigStateChecks: []statecheck.StateCheck{expectJobs(tfjsonpath.New("ids"), strs(ids...))},
			}},
		})
		reqs := checkRequests(t, f, fakedts.ActionDescribeDtsJobs, []int{1, 2, 2, 3})
		if reqs[1].Status != 503 || reqs[2].Status != 200 {
			t.Errorf("page 2 answered %d then %d, want 503 then 200", reqs[1].Status, reqs[2].Status)
		}
	})
	t.Run("failing page", func(t *testing.T) {
		f := newFake(t)
		dtsJobs(f, 70)
		f.OnPage(fakedts.ActionDescribeDtsJobs, 1, func() { f.QueueFaults(repeat(2, unavailable)...) })
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testFactories,
			Steps: []resource.TestStep{{
				Config: providerConfig(f, withRetries(1)) + `
data "dts_jobs" "test" {
  name = "dtsjob"
}
`,
				PlanOnly: true,
				ExpectError: re(`(?s)DTS API error: ServiceUnavailable.*DescribeDtsJobs for page 2 of the listing of migration jobs ` +
					`with name = "dtsjob" in region cn-hangzhou .*failed.*The service answered: ServiceUnavailable.*Attempts: 2`),
			}},
		})
		checkRequests(t, f, fakedts.ActionDescribeDtsJobs, []int{1, 2, 2})
	})
}

func TestAccJobsFailPastThePageBound(t *testing.T) {
	if testing.Short() {
		t.Skip("lists 101 pages")
	}
	f := newFake(t)
	const n = 100*30 + 1
	for i := range n {
		// A small verbatim item keeps the fake's 101 answers over 3,001 jobs quick.
		id := "dtsmany" + strconv.Itoa(i)
		f.SetDtsJob(id, fakedts.DtsJob{Steps: []fakedts.Step{{Raw: []byte(`{"DtsJobId":"` + id + `","Status":"NotStarted"}`)}}})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories,
		Steps: []resource.TestStep{{
			Config: jobsConfig(f, ""), PlanOnly: true,
			ExpectError: re(`(?s)Too many DTS jobs to list.*DescribeDtsJobs for the listing of every migration job in ` +
				`region cn-hangzhou did not end within 100 pages of 30 jobs: 3000 jobs were read of the 3001 the ` +
				`service counted.*Narrow the listing with name, status, dts_instance_id or tags`),
		}},
	})
	want := make([]int, 100)
	for i := range want {
		want[i] = i + 1
	}
	checkRequests(t, f, fakedts.ActionDescribeDtsJobs, want)
}

func TestAccJobsInvalidNameRegexFailsAtPlanWithoutARequest(t *testing.T) {
	f := newFake(t)
	dtsJobs(f, 1)
	f.SetJob("dtslegacy", fakedts.Job{})
	for _, ds := range []string{"dts_jobs", "dts_migration_jobs"} {
		t.Run(ds, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories,
				Steps: []resource.TestStep{{
					Config: providerConfig(f, "") + fmt.Sprintf(`
data %q "test" {
  name_regex = "orders-(prod"
}
`, ds),
					PlanOnly:    true,
					ExpectError: re(`(?s)Invalid regular expression.*name_regex is not a valid RE2 regular expression: .*missing closing \)`),
				}},
			})
		})
	}
	if n := len(f.Requests()); n != 0 {
		t.Fatalf("%d requests sent, want none", n)
	}
}
