package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/openmigrate/terraform-provider-dts/internal/dtsapi"
	"github.com/openmigrate/terraform-provider-dts/internal/wait"
)

// subject is what a read is about, for its diagnostics.
type subject struct {
	// kind names the thing read, such as "DTS migration job", in summaries.
	kind string
	// what names it with its ID, such as `Migration job "dts123"`, in details.
	what string
	// action is the API call.
	action string
	// notFound says what to try when the job is not there.
	notFound string
}

// readErrorDiagnostic describes a failed read for the person running terraform: what failed, for
// which job and region, what the service said, and what to try.
func readErrorDiagnostic(s subject, t target, readTimeout time.Duration, err error) (summary, detail string) {
	var (
		unreachable *wait.UnreachableError
		timeout     *wait.TimeoutError
		canceled    *wait.CanceledError
	)
	where := fmt.Sprintf("%s in region %s", s.what, t.region)
	switch {
	case errors.As(err, &unreachable):
		return s.kind + " cannot reach the awaited status", fmt.Sprintf("%s: %s", where, err)
	case errors.As(err, &timeout):
		return "Timed out waiting for " + s.kind, fmt.Sprintf("%s: %s\n\nThe wait is bounded by timeouts.read "+
			"(now %s); raise it in the data source's timeouts block to wait longer.", where, err, readTimeout)
	case errors.As(err, &canceled):
		return "Stopped waiting for " + s.kind, fmt.Sprintf("%s: %s", where, err)
	}
	return callErrorDiagnostic(s, t, readTimeout, err)
}

// callErrorDiagnostic describes a failed API call.
func callErrorDiagnostic(s subject, t target, readTimeout time.Duration, err error) (summary, detail string) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s for %s in region %s (endpoint %s) failed.\n\n", s.action, lowerFirst(s.what), t.region, t.endpoint)
	var apiErr *dtsapi.Error
	isAPIErr := errors.As(err, &apiErr)
	switch {
	case errors.Is(err, dtsapi.ErrCredentials):
		summary = "No usable Alibaba Cloud credentials"
		fmt.Fprintf(&b, "%s\n\nThe provider looks for credentials, in order, in: %s.", err, lookedAt)
		return summary, b.String()
	case errors.Is(err, context.DeadlineExceeded):
		summary = "Timed out reading " + s.kind + " status"
		fmt.Fprintf(&b, "The read did not finish within its timeout of %s: %s\n\nRaise timeouts.read on the data source if the service is slow, or check network access to the endpoint.", readTimeout, err)
		return summary, b.String()
	case errors.Is(err, context.Canceled):
		return "Reading " + s.kind + " status was cancelled", b.String() + err.Error()
	case isAPIErr && errors.Is(err, dtsapi.ErrCertificate):
		summary = "TLS certificate of the DTS endpoint not trusted"
		fmt.Fprintf(&b, "%s\n", apiErr.Message)
	case isAPIErr && errors.Is(err, dtsapi.ErrProxyAuth):
		summary = "The HTTP proxy requires authentication"
		fmt.Fprintf(&b, "%s\n", apiErr.Message)
	case isAPIErr && apiErr.Code != "":
		summary = "DTS API error: " + apiErr.Code
		fmt.Fprintf(&b, "The service answered: %s: %s\n", apiErr.Code, apiErr.Message)
	case isAPIErr && apiErr.Message != "":
		summary = "Could not read " + s.kind + " status"
		fmt.Fprintf(&b, "%s\n", apiErr.Message)
	default:
		summary = "Could not read " + s.kind + " status"
		fmt.Fprintf(&b, "%s\n", err)
	}
	if isAPIErr {
		if apiErr.RequestID != "" {
			fmt.Fprintf(&b, "Request ID: %s\n", apiErr.RequestID)
		}
		if apiErr.HTTPStatus != 0 {
			fmt.Fprintf(&b, "HTTP status: %d\n", apiErr.HTTPStatus)
		}
		if apiErr.Attempts > 0 {
			fmt.Fprintf(&b, "Attempts: %d\n", apiErr.Attempts)
		}
		if hint := errorHint(apiErr, s, t); hint != "" {
			fmt.Fprintf(&b, "\n%s", hint)
		}
	}
	return summary, strings.TrimRight(b.String(), "\n")
}

// errorHint says what to try for the failures people commonly hit.
func errorHint(e *dtsapi.Error, s subject, t target) string {
	switch {
	case e.Code == dtsapi.CodeInvalidJobID:
		return fmt.Sprintf("Check the job ID, and that the job lives in region %s: DTS answers InvalidJobId for a job "+
			"in another region. Set region_id on the data source (or region on the provider) to the job's region.%s", t.region, s.notFound)
	case e.Code == dtsapi.CodeSignatureDoesNotMatch:
		return "The secret key does not match the access key ID: check secret_key (or ALIBABA_CLOUD_ACCESS_KEY_SECRET / " +
			"ALICLOUD_SECRET_KEY), and for STS credentials that the security token belongs to the same key pair."
	case strings.HasPrefix(e.Code, "InvalidAccessKeyId"):
		return "The access key ID does not exist or is disabled: check access_key (or ALIBABA_CLOUD_ACCESS_KEY_ID / " +
			"ALICLOUD_ACCESS_KEY), and that the key is enabled in the RAM console."
	case strings.HasPrefix(e.Code, "InvalidSecurityToken"):
		return "The security token is missing, expired or belongs to other credentials: refresh the STS credentials " +
			"and set security_token (or ALIBABA_CLOUD_SECURITY_TOKEN) together with their access key."
	case strings.HasPrefix(e.Code, "Forbidden"):
		return "The credentials are not allowed to call this API: grant the RAM user or role the permission " +
			"dts:" + s.action + ", for example with the system policy AliyunDTSReadOnlyAccess."
	case strings.HasPrefix(e.Code, "InvalidTimeStamp"):
		return "The request's timestamp was more than 15 minutes away from the service's clock: check the clock of " +
			"the machine running Terraform (for example, that NTP is running)."
	case strings.HasPrefix(e.Code, "Throttling"):
		return "The service kept throttling the requests after every retry. Retry later, lower Terraform's " +
			"-parallelism, or raise max_retries in the provider block."
	case e.Code == "" && e.Retryable:
		return "Check network access to the endpoint (proxy settings such as HTTPS_PROXY apply), or retry later. " +
			"max_retries in the provider block sets how often a call is retried."
	}
	return ""
}

// lowerFirst lower-cases the first letter of s, to continue a sentence with it, unless s begins with
// an acronym ("DTS job" stays as it is).
func lowerFirst(s string) string {
	if s == "" || !isUpper(s[0]) || len(s) > 1 && isUpper(s[1]) {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
