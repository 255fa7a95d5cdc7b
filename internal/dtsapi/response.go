package dtsapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Envelope holds the fields every DTS answer may carry: the request ID and, on failure, the error in
// the gateway's shape (Code, Message) or in DTS's own (Success false, ErrCode, ErrMessage).
type Envelope struct {
	RequestID String `json:"RequestId"`
	Success   Bool   `json:"Success"`
	Code      String `json:"Code"`
	Message   String `json:"Message"`
	ErrCode   String `json:"ErrCode"`
	// ErrMessage may hold a %s that DynamicMessage fills.
	ErrMessage     String `json:"ErrMessage"`
	DynamicMessage String `json:"DynamicMessage"`
}

func (e *Envelope) envelope() *Envelope { return e }

// MigrationMode says which stages a job runs. The legacy calls send the first three only (the
// status call in lower camel case, which decodes all the same); the current API sends all six.
type MigrationMode struct {
	StructureInitialization Bool `json:"StructureInitialization"`
	DataInitialization      Bool `json:"DataInitialization"`
	DataSynchronization     Bool `json:"DataSynchronization"`
	FullDataCheck           Bool `json:"FullDataCheck"`
	IncDataCheck            Bool `json:"IncDataCheck"`
	StructureDataCheck      Bool `json:"StructureDataCheck"`
}

// Endpoint is the connection settings of a job's source or destination database. The calls spell
// some keys differently (IP, Ip; InstanceId, InstanceID; oracleSID, OracleSID): names are matched
// ignoring case, so one type reads them all. Region and SslSolutionEnum come from the current API only.
type Endpoint struct {
	DatabaseName    String `json:"DatabaseName"`
	EngineName      String `json:"EngineName"`
	IP              String `json:"IP"`
	InstanceID      String `json:"InstanceId"`
	InstanceType    String `json:"InstanceType"`
	Port            Int    `json:"Port"`
	UserName        String `json:"UserName"`
	OracleSID       String `json:"oracleSID"`
	Region          String `json:"Region"`
	SslSolutionEnum String `json:"SslSolutionEnum"`
}

// decode parses a response body into out; it fails only when the body is not a JSON object, or is
// one nested deeper than encoding/json goes (a *tooDeepError).
func decode(body []byte, out response) error {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return errNotJSONObject
	}
	err := json.Unmarshal(trimmed, out)
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) && syntax.Offset <= int64(len(trimmed)) && nestingDepth(trimmed[:syntax.Offset]) > maxJSONDepth {
		return &tooDeepError{depth: nestingDepth(trimmed)}
	}
	return err
}

type decodeError string

func (e decodeError) Error() string { return string(e) }

const errNotJSONObject = decodeError("the body is not a JSON object")

// maxJSONDepth is encoding/json's limit on nesting: it refuses a deeper value, valid as it may be.
const maxJSONDepth = 10000

// tooDeepError is a body that encoding/json refused for its nesting alone.
type tooDeepError struct{ depth int }

func (e *tooDeepError) Error() string {
	return fmt.Sprintf("the response is nested too deeply to decode: %d levels of objects and arrays, beyond "+
		"the decoder's limit of %d", e.depth, maxJSONDepth)
}

// nestingDepth is the deepest nesting of objects and arrays in b, JSON text that may be cut short.
func nestingDepth(b []byte) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range b {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}
