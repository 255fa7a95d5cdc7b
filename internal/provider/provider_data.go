package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openmigrate/terraform-provider-dts/internal/clock"
	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
)

// processPacer paces every DTS call of the process: the service counts calls per access key,
// region and action, whichever provider configuration or data source makes them, so a throttle
// seen by one read must slow all of them.
var processPacer = dtsapi.NewPacer(dtsapi.PacerConfig{Clock: clock.System{}})

// providerData is what Configure hands to data sources: settings, and the pieces shared by all
// reads (HTTP connections, lazily resolved credentials, the request pace).
type providerData struct {
	settings    settings
	tuning      tuning
	userAgent   string
	httpClient  *http.Client
	credentials *lazyCredentials
	pacer       *dtsapi.Pacer
}

func newProviderData(s settings, t tuning, userAgent string) *providerData {
	pacer := t.pacer
	if pacer == nil {
		// Tests: a pace of their own, so one test's throttles do not slow the next.
		pacer = dtsapi.NewPacer(dtsapi.PacerConfig{Clock: t.clock})
	}
	return &providerData{
		settings:    s,
		tuning:      t,
		userAgent:   userAgent,
		httpClient:  dtsapi.NewHTTPClient(),
		credentials: &lazyCredentials{settings: s},
		pacer:       pacer,
	}
}

// target is where one read goes.
type target struct {
	region   string
	endpoint string
}

// target resolves the region and endpoint for a read; regionID is the data source's own, if any.
func (d *providerData) target(regionID string) (target, error) {
	if len(d.settings.unknown) > 0 {
		return target{}, fmt.Errorf("the provider's arguments %s are not known yet: the job can be read once the "+
			"provider configuration no longer depends on values computed during apply", strings.Join(d.settings.unknown, ", "))
	}
	t := target{region: regionID}
	if regionID != "" {
		// Validation has refused it already when Terraform ran it: a read never sends what it has not checked.
		if err := checkRegion(regionID); err != nil {
			return target{}, fmt.Errorf("region_id: %w", err)
		}
	}
	if t.region == "" {
		t.region = d.settings.region.value
	}
	if t.region == "" {
		return target{}, fmt.Errorf("no region: set region_id on the data source, region in the provider block, " +
			"or ALIBABA_CLOUD_REGION_ID (or ALICLOUD_REGION) in the environment")
	}
	t.endpoint = d.settings.endpoint.value
	if t.endpoint == "" {
		t.endpoint = dtsapi.DefaultEndpoint(t.region)
	}
	return t, nil
}

// client returns an API client for the target; clients are cheap and share connections and credentials.
func (d *providerData) client(t target) (*dtsapi.Client, error) {
	return dtsapi.New(dtsapi.Config{
		Endpoint:       t.endpoint,
		RegionID:       t.region,
		Credentials:    d.credentials,
		HTTPClient:     d.httpClient,
		Retry:          dtsapi.RetryPolicy{MaxRetries: d.settings.maxRetries, BaseDelay: d.tuning.baseDelay, MaxDelay: d.tuning.maxDelay},
		UserAgent:      d.userAgent,
		AttemptTimeout: d.tuning.attemptTimeout,
		MaxBodyBytes:   d.tuning.maxBodyBytes,
		Clock:          d.tuning.clock,
		Pacer:          d.pacer,
		Log: func(ctx context.Context, msg string, fields map[string]any) {
			tflog.Debug(ctx, msg, fields)
		},
	})
}
