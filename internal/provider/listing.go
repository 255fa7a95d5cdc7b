package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

// What the two listing data sources, dts_jobs and dts_migration_jobs, share: the name_regex and tags
// arguments, the client-side name filter, the wait over every job found, and how a failed listing
// or wait is reported.

// validRegexp checks that a string is an RE2 expression, so a bad name_regex fails at plan time,
// before any request is sent.
type validRegexp struct{}

func (validRegexp) Description(context.Context) string {
	return "value must be a valid RE2 regular expression"
}

func (v validRegexp) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (validRegexp) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression",
			fmt.Sprintf("%s is not a valid RE2 regular expression: %s. See https://github.com/google/re2/wiki/Syntax "+
				"for the syntax; note that RE2 has no lookahead or backreferences.", req.Path, err))
	}
}

func nameRegexArgument() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		Description: "An RE2 regular expression matched against each job's name, after the service's own filters; " +
			"only the jobs whose name matches are kept. Unanchored: use `^...$` to match the whole name. " +
			"A job without a name is matched as the empty string.",
		Validators: []validator.String{validRegexp{}},
	}
}

func tagsArgument(sent string, more ...validator.Map) schema.MapAttribute {
	return schema.MapAttribute{
		Optional:    true,
		ElementType: types.StringType,
		Description: "Only jobs carrying every one of these tags, key to value. " + sent,
		Validators:  append([]validator.Map{mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1))}, more...),
	}
}

func nonEmptyArgument(desc string) schema.StringAttribute {
	return schema.StringAttribute{Optional: true, Description: desc, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}}
}

// tagsValue is the tags argument as a Go map; nil when it is null.
func tagsValue(m types.Map) map[string]string {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	out := make(map[string]string, len(m.Elements()))
	for k, v := range m.Elements() {
		if s, ok := v.(types.String); ok {
			out[k] = s.ValueString()
		}
	}
	return out
}

// nameRegexp compiles name_regex; nil when it is null. The validator has compiled the expression
// already; should it fail here all the same, the error is reported on the argument rather than as a
// panic.
func nameRegexp(nameRegex types.String, diags *diag.Diagnostics) *regexp.Regexp {
	if nameRegex.IsNull() {
		return nil
	}
	re, err := regexp.Compile(nameRegex.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("name_regex"), "Invalid regular expression",
			fmt.Sprintf("name_regex is not a valid RE2 regular expression: %s.", err))
	}
	return re
}

// keepMatching keeps the items whose name re matches; all of them when re is nil.
func keepMatching[T any](items []T, re *regexp.Regexp, name func(*T) dtsapi.String) []T {
	if re == nil {
		return items
	}
	return slices.DeleteFunc(items, func(t T) bool { return !re.MatchString(name(&t).Val) })
}

// listing describes a listing for its diagnostics: which call, which jobs, with which filters.
type listing struct {
	action string
	// jobs names what is listed, such as "migration jobs".
	jobs string
	// filters are the filters sent, each as name = value.
	filters []string
	// narrower names the arguments that narrow the listing.
	narrower string
	pageSize int
}

func (l listing) String() string {
	if len(l.filters) == 0 {
		return "the listing of every " + strings.TrimSuffix(l.jobs, "s")
	}
	return fmt.Sprintf("the listing of %s with %s", l.jobs, strings.Join(l.filters, ", "))
}

func (l *listing) filter(name string, v fmt.Stringer, isNull bool) {
	if !isNull {
		l.filters = append(l.filters, name+" = "+v.String())
	}
}

// listErrorDiagnostic describes a failed listing: the page that failed and what the service said, or
// that the listing did not end within the page bound and how to narrow it.
func listErrorDiagnostic(l listing, t target, readTimeout time.Duration, err error) (summary, detail string) {
	var tooMany *dtsapi.TooManyPagesError
	if errors.As(err, &tooMany) {
		return "Too many DTS jobs to list", fmt.Sprintf("%s for %s in region %s did not end within %d pages of %d jobs: "+
			"%d jobs were read of the %d the service counted. The provider stops there rather than read for ever or "+
			"return a part of the list.\n\nNarrow the listing with %s.",
			l.action, l, t.region, tooMany.Pages, l.pageSize, tooMany.Read, tooMany.Total, l.narrower)
	}
	what := l.String()
	var pageErr *dtsapi.PageError
	if errors.As(err, &pageErr) {
		what = fmt.Sprintf("page %d of %s", pageErr.Page, what)
		err = pageErr.Err
	}
	s := subject{kind: "DTS " + l.jobs, what: what, action: l.action}
	return callErrorDiagnostic(s, t, readTimeout, err)
}

// waitOrList lists once, or, with a wait_for block, waits until every job the listing finds is at
// the target: the fleet gate of family (one job's rules, applied to each job) over list, which every
// poll calls again. list reads every page with the same filters and applies the client-side ones;
// unit names a job in messages, such as `job "i03e3zty16i****" (orders)`.
func waitOrList[J any](r *read, waitFor *waitForModel, family *wait.Family[J], l listing,
	list func(context.Context) (*dtsapi.Listing[J], error), unit func(*J) string, diags *diag.Diagnostics) (*dtsapi.Listing[J], error) {
	gate := func(t wait.Target) wait.Gate[dtsapi.Listing[J]] {
		return wait.Fleet(family, t, func(found *dtsapi.Listing[J]) []J { return found.Items }, unit)
	}
	return waitOrReadGate(r, waitFor, family.Table, gate, list, diags, logFleetPoll[J](l, r.target, stageOf(waitFor)),
		"Waiting for DTS jobs", map[string]any{"listing": l.String()})
}

// logFleetPoll logs each poll of a fleet wait at INFO: how many jobs are at the target, the first five
// that are not, and how many pages (requests) the poll read.
func logFleetPoll[J any](l listing, t target, stage wait.Stage) func(context.Context, wait.Poll[dtsapi.Listing[J]]) {
	return logPoll("Polled DTS jobs", "listing", l.String(), t, stage,
		func(found *dtsapi.Listing[J], fields map[string]any) { fields["pages"] = found.Pages })
}

// unitName names a listed job in a fleet wait's messages: kind, ID and, when it has one, its name.
func unitName(kind string, id, name dtsapi.String) string {
	if name.Val == "" {
		return fmt.Sprintf("%s %q", kind, id.Val)
	}
	return fmt.Sprintf("%s %q (%s)", kind, id.Val, name.Val)
}

// fleetErrorDiagnostic describes a failed listing or a wait over one: which job ended it and why, or
// what the jobs not at the target were doing at the deadline.
func fleetErrorDiagnostic(l listing, t target, readTimeout time.Duration, err error) (summary, detail string) {
	var (
		unreachable *wait.UnreachableError
		timeout     *wait.TimeoutError
		canceled    *wait.CanceledError
	)
	if errors.As(err, &unreachable) || errors.As(err, &timeout) || errors.As(err, &canceled) {
		what := l.String()
		return readErrorDiagnostic(subject{kind: "DTS " + l.jobs, what: strings.ToUpper(what[:1]) + what[1:], action: l.action}, t, readTimeout, err)
	}
	return listErrorDiagnostic(l, t, readTimeout, err)
}
