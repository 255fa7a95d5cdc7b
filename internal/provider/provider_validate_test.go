package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// validateProvider runs ValidateProviderConfig as Terraform does (schema validators, then
// ValidateConfig) and returns each diagnostic as "attribute: summary: detail".
func validateProvider(t *testing.T, attrs map[string]tftypes.Value, assumeRole map[string]tftypes.Value) []string {
	t.Helper()
	ctx := context.Background()
	server, err := testFactories["dts"]()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	pt := schemas.Provider.ValueType()
	if assumeRole != nil {
		ot, ok := pt.(tftypes.Object)
		if !ok {
			t.Fatalf("the provider schema is a %T, not an object", pt)
		}
		attrs["assume_role"] = objectOf(ot.AttributeTypes["assume_role"], assumeRole)
	}
	cfg, err := tfprotov6.NewDynamicValue(pt, objectOf(pt, attrs))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ValidateProviderConfig(ctx, &tfprotov6.ValidateProviderConfigRequest{Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range resp.Diagnostics {
		at := ""
		if d.Attribute != nil {
			at = d.Attribute.String()
		}
		out = append(out, at+": "+d.Summary+": "+d.Detail)
	}
	return out
}

func tfString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
func number(n int64) tftypes.Value    { return tftypes.NewValue(tftypes.Number, n) }
func unknownString() tftypes.Value    { return tftypes.NewValue(tftypes.String, tftypes.UnknownValue) }
func attrs(kv ...any) map[string]tftypes.Value {
	m := map[string]tftypes.Value{}
	for i := 0; i+1 < len(kv); i += 2 {
		name, okName := kv[i].(string)
		v, okValue := kv[i+1].(tftypes.Value)
		if !okName || !okValue {
			panic("attrs takes name, value pairs")
		}
		m[name] = v
	}
	return m
}

// TestProviderConfigValidation: each rule on the provider block gives one diagnostic, on the
// attribute at fault, that says what is wrong and what would be right.
func TestProviderConfigValidation(t *testing.T) {
	const arn = "acs:ram::123456789012:role/migrator"
	cases := []struct {
		name       string
		attrs      map[string]tftypes.Value
		assumeRole map[string]tftypes.Value
		// want are substrings of the one diagnostic expected; none means the config is valid.
		want []string
	}{
		{name: "empty block", attrs: attrs()},
		{name: "every argument", attrs: attrs("region", tfString("cn-hangzhou"), "endpoint", tfString("https://dts.aliyuncs.com"), "max_retries", number(3)),
			assumeRole: attrs("role_arn", tfString(arn), "session_name", tfString("tf.acc@x-1_2"), "session_expiration", number(900))},
		{name: "loopback http endpoint", attrs: attrs("endpoint", tfString("http://127.0.0.1:8080"))},
		{name: "unknown values wait for apply", attrs: attrs("endpoint", unknownString()),
			assumeRole: attrs("role_arn", unknownString(), "session_name", unknownString())},
		{name: "plain http endpoint", attrs: attrs("endpoint", tfString("http://dts.aliyuncs.com")),
			want: []string{`AttributeName("endpoint")`, "Invalid endpoint", "plain http", "use https"}},
		{name: "endpoint without scheme", attrs: attrs("endpoint", tfString("dts.aliyuncs.com")),
			want: []string{`AttributeName("endpoint")`, "Invalid endpoint", "write it as https://dts.aliyuncs.com"}},
		{name: "max_retries too high", attrs: attrs("max_retries", number(101)),
			want: []string{`AttributeName("max_retries")`, "between 0 and 100", "101"}},
		{name: "max_retries negative", attrs: attrs("max_retries", number(-1)),
			want: []string{`AttributeName("max_retries")`, "between 0 and 100"}},
		{name: "assume_role without role_arn", attrs: attrs(), assumeRole: attrs("session_name", tfString("terraform")),
			want: []string{`AttributeName("assume_role")`, "Invalid Attribute Combination", `"assume_role.role_arn" must be specified when "assume_role" is specified`}},
		{name: "assume_role with role_arn alone", attrs: attrs(), assumeRole: attrs("role_arn", tfString(arn))},
		{name: "role_arn that is not a RAM ARN", attrs: attrs(), assumeRole: attrs("role_arn", tfString("arn:aws:iam::123456789012:role/x")),
			want: []string{`AttributeName("role_arn")`, "RAM role ARN", arn, "arn:aws:iam::123456789012:role/x"}},
		{name: "empty role_arn", attrs: attrs(), assumeRole: attrs("role_arn", tfString("")),
			want: []string{`AttributeName("role_arn")`, "RAM role ARN", arn}},
		{name: "session_expiration too short", attrs: attrs(), assumeRole: attrs("role_arn", tfString(arn), "session_expiration", number(899)),
			want: []string{`AttributeName("session_expiration")`, "between 900 and 43200", "899"}},
		{name: "session_expiration too long", attrs: attrs(), assumeRole: attrs("role_arn", tfString(arn), "session_expiration", number(43201)),
			want: []string{`AttributeName("session_expiration")`, "between 900 and 43200", "43201"}},
		{name: "session_name too short", attrs: attrs(), assumeRole: attrs("role_arn", tfString(arn), "session_name", tfString("a")),
			want: []string{`AttributeName("session_name")`, "2 to 64 letters", "got: a"}},
		{name: "session_name with a space", attrs: attrs(), assumeRole: attrs("role_arn", tfString(arn), "session_name", tfString("my session")),
			want: []string{`AttributeName("session_name")`, "letters, digits, '.', '@', '-' or '_'", "my session"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			diags := validateProvider(t, tc.attrs, tc.assumeRole)
			if len(tc.want) == 0 {
				if len(diags) != 0 {
					t.Fatalf("want no diagnostics, got %q", diags)
				}
				return
			}
			if len(diags) != 1 {
				t.Fatalf("want one diagnostic, got %q", diags)
			}
			for _, w := range tc.want {
				if !strings.Contains(diags[0], w) {
					t.Errorf("the diagnostic lacks %q:\n%s", w, diags[0])
				}
			}
		})
	}
}
