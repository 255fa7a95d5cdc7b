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
		w, apiErr := c.classify(status, body, newRedactor("secret-value"))
		if apiErr != nil {
			if apiErr.Error() == "" {
				t.Fatal("an error must describe itself")
			}
			return
		}
		st := w.status()
		for _, warn := range st.Warnings {
			if warn.Field == "" || warn.Want == "" || len(warn.Raw) > 4*excerptLimit || strings.ContainsAny(warn.Raw, "\n\x00") {
				t.Fatalf("malformed warning %+v", warn)
			}
		}
	})
}
