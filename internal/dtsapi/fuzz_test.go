package dtsapi

import (
	"os"
	"strings"
	"testing"
)

// FuzzDecode feeds arbitrary bodies through decoding and classification: neither may panic, and a
// success must carry only well-formed warnings.
func FuzzDecode(f *testing.F) {
	sample, err := os.ReadFile("testdata/documented_sample.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(sample),
		`{"Success":"true","PrecheckStatus":{"Detail":{"CheckItem":{"CheckStatus":"Failed"}}}}`,
		`{"DataSynchronizationStatus":{"Delay":"","Checkpoint":1.5e9,"Percent":"x"}}`,
		`{"Success":false,"ErrCode":"InvalidJobId","ErrMessage":"gone"}`,
		`{"Code":"Throttling.User","Message":"slow"}`,
		`{"MigrationObject":[{"DBName":"a"}],"MigrationMode":"on"}`,
		`<html>`, ``, `{"RequestId":"R","Succ`, `{"a":"\ud800"}`, "{\"TaskId\":\"\xff\"}",
	} {
		f.Add([]byte(seed), 200)
	}
	c := &Client{cfg: Config{MaxBodyBytes: 1 << 20}}
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		var st MigrationJobStatus
		if apiErr := c.classify(status, body, newRedactor("secret-value"), &st); apiErr != nil {
			if apiErr.Error() == "" {
				t.Fatal("an error must describe itself")
			}
			return
		}
		for _, bad := range []string{st.MigrationJobStatus.Bad, st.MigrationMode.Bad, st.MigrationObject.Bad} {
			if len(bad) > 4*excerptLimit || strings.ContainsAny(bad, "\n\x00") {
				t.Fatalf("malformed excerpt %q", bad)
			}
		}
		var jobs DtsJobs
		_ = c.classify(status, body, newRedactor("secret-value"), &jobs)
	})
}
