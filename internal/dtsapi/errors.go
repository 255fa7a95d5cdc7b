package dtsapi

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a failed API call: a service error (Code set), a response that could not be read or
// decoded, or a transport failure (Err set). Its text never holds credentials or signatures.
type Error struct {
	// Code is the service's error code (Code or ErrCode in the body), empty when the service sent none.
	Code string
	// Message is the service's message (Message or ErrMessage), or a description of what went wrong.
	Message string
	// RequestID is the service's request ID, when one was returned.
	RequestID string
	// HTTPStatus is the status of the last response, 0 when no response arrived.
	HTTPStatus int
	// Retryable says whether the failure was of a kind that is retried.
	Retryable bool
	// Attempts is how many requests were sent for the call.
	Attempts int
	// Err is the underlying transport or context error, already redacted.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.Code != "":
		fmt.Fprintf(&b, "%s: %s", e.Code, e.Message)
	case e.Message != "":
		b.WriteString(e.Message)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString("request failed")
	}
	var details []string
	if e.HTTPStatus != 0 {
		details = append(details, fmt.Sprintf("HTTP %d", e.HTTPStatus))
	}
	if e.RequestID != "" {
		details = append(details, "request ID "+e.RequestID)
	}
	if e.Attempts > 1 {
		details = append(details, fmt.Sprintf("after %d attempts", e.Attempts))
	}
	if len(details) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(details, ", "))
	}
	return b.String()
}

// Unwrap returns the underlying transport or context error, if any.
func (e *Error) Unwrap() error { return e.Err }

// ErrCredentials marks a call that failed because no credentials could be had; errors.Is finds it.
var ErrCredentials = errors.New("no usable credentials")

// ErrAttemptTimeout marks an attempt cut off by the per-attempt timeout: the server did not answer
// in time, while the caller's own deadline had not passed.
var ErrAttemptTimeout = errors.New("per-attempt timeout")

// ErrCertificate marks a call refused because the endpoint's TLS certificate did not verify.
var ErrCertificate = errors.New("TLS certificate did not verify")

// ErrProxyAuth marks a call that an HTTP proxy refused for want of credentials (HTTP 407).
var ErrProxyAuth = errors.New("proxy authentication required")

// IsPermanent reports whether err is a failure that asking again will not change: an
// authentication, permission or parameter error, a job (or its sub-jobs) that is not there, a
// verification with more tables than are read, no credentials at all, a TLS certificate that does
// not verify, a proxy that wants credentials, or a listing longer than MaxPages. Other transport
// failures, throttling, 5xx answers and unreadable bodies are not permanent.
func IsPermanent(err error) bool {
	var notFound *NotFoundError
	var subJobsNotFound *SubJobsNotFoundError
	var tooManyTables *TooManyTablesError
	if errors.Is(err, ErrCredentials) || errors.Is(err, ErrCertificate) || errors.Is(err, ErrProxyAuth) ||
		errors.As(err, &notFound) || errors.As(err, &subJobsNotFound) || errors.As(err, &tooManyTables) {
		return true
	}
	// A listing past MaxPages would be as long at the next poll: a wait over it cannot go on.
	var tooMany *TooManyPagesError
	if errors.As(err, &tooMany) {
		return true
	}
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.Code != "" && !apiErr.Retryable && apiErr.HTTPStatus < 500
}

// Error codes that callers commonly act on.
const (
	CodeInvalidJobID            = "InvalidJobId"
	CodeSignatureDoesNotMatch   = "SignatureDoesNotMatch"
	CodeSignatureNonceUsed      = "SignatureNonceUsed"
	CodeInvalidAccessKeyIDNF    = "InvalidAccessKeyId.NotFound"
	CodeInvalidTimeStampExpired = "InvalidTimeStamp.Expired"
	CodeForbiddenRAM            = "Forbidden.RAM"
	CodeThrottling              = "Throttling"
	CodeServiceUnavailable      = "ServiceUnavailable"
	CodeInternalError           = "InternalError"
)
