package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// regionPattern is the shape of an Alibaba Cloud region ID, such as cn-hangzhou or ap-southeast-1.
var regionPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// maxRegionLength bounds a region ID; the longest today, cn-shanghai-finance-1, has 21 characters.
const maxRegionLength = 64

// regionValidators check a region ID at plan time, before it is sent as RegionId or picks an endpoint.
func regionValidators() []validator.String {
	return []validator.String{regionValidator{}}
}

type regionValidator struct{}

var _ validator.String = regionValidator{}

func (regionValidator) Description(context.Context) string {
	return "must be a region ID: lower-case letters, digits and hyphens, such as cn-hangzhou"
}

func (v regionValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regionValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkRegion(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid region", err.Error()+".")
	}
}

// checkRegion says what is wrong with a region ID, if anything.
func checkRegion(region string) error {
	if len(region) <= maxRegionLength && regionPattern.MatchString(region) {
		return nil
	}
	shown := region
	if len(shown) > maxRegionLength {
		shown = shown[:maxRegionLength] + "…"
	}
	msg := fmt.Sprintf("%q is not a region ID: a region ID is lower-case letters, digits and hyphens, "+
		"such as cn-hangzhou or ap-southeast-1", shown)
	// A region written in capitals or with spaces or underscores is most likely this one.
	guess := strings.ToLower(strings.NewReplacer(" ", "-", "_", "-").Replace(strings.TrimSpace(region)))
	if guess != region && len(guess) <= maxRegionLength && regionPattern.MatchString(guess) {
		msg += fmt.Sprintf(" (did you mean %q?)", guess)
	}
	return errors.New(msg)
}
