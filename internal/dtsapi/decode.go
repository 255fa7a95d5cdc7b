package dtsapi

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The wire format is loose: numbers arrive as strings or JSON numbers, booleans as true or "true",
// a single CheckItem as an object rather than a list. Every leaf below takes any JSON value without
// failing, remembering a value it cannot use, so one odd field never costs the rest of the response.

// wireString is a string field; numbers and booleans are kept as their literal text.
type wireString struct {
	v   string
	set bool
	bad string
}

func (w *wireString) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
	case '"':
		s, ok := unquote(b)
		if !ok {
			w.bad = excerpt(b)
			return nil
		}
		w.v, w.set = s, s != ""
	case '{', '[':
		w.bad = excerpt(b)
	default:
		w.v, w.set = string(b), true
	}
	return nil
}

// wireInt is an integer field sent as a JSON number or a numeric string.
type wireInt struct {
	v   int64
	set bool
	bad string
}

func (w *wireInt) UnmarshalJSON(b []byte) error {
	text := b
	switch b[0] {
	case 'n':
		return nil
	case '"':
		s, ok := unquote(b)
		if !ok {
			w.bad = excerpt(b)
			return nil
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
		text = []byte(s)
	}
	if v, ok := parseInt(text); ok {
		w.v, w.set = v, true
		return nil
	}
	w.bad = excerpt(b)
	return nil
}

// parseInt accepts an integer, or a number with an integral value such as 100.0 or 1e3.
func parseInt(b []byte) (int64, bool) {
	s := string(b)
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

// wireBool is a boolean field sent as true/false or as a string such as "true".
type wireBool struct {
	v   bool
	set bool
	bad string
}

func (w *wireBool) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
		return nil
	case 't', 'f':
		if v, err := strconv.ParseBool(string(b)); err == nil {
			w.v, w.set = v, true
			return nil
		}
	case '"':
		s, ok := unquote(b)
		if ok {
			s = strings.TrimSpace(s)
			if s == "" {
				return nil
			}
			if v, err := strconv.ParseBool(s); err == nil {
				w.v, w.set = v, true
				return nil
			}
		}
	}
	w.bad = excerpt(b)
	return nil
}

// wireJSONText is a field documented as a string holding JSON; a JSON array or object sent in its
// place is kept as its compact text, since that is what the string would have held.
type wireJSONText struct {
	wireString
}

func (w *wireJSONText) UnmarshalJSON(b []byte) error {
	if b[0] != '{' && b[0] != '[' {
		return w.wireString.UnmarshalJSON(b)
	}
	var buf bytes.Buffer
	if json.Compact(&buf, b) == nil {
		w.v, w.set = buf.String(), true
	} else {
		w.bad = excerpt(b)
	}
	return nil
}

// wireObject is a nested object; anything but an object (or null) is remembered as bad.
type wireObject[T any] struct {
	v       T
	present bool
	bad     string
}

func (w *wireObject[T]) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
		return nil
	case '{':
		if json.Unmarshal(b, &w.v) == nil {
			w.present = true
		} else {
			w.bad = excerpt(b)
		}
	default:
		w.bad = excerpt(b)
	}
	return nil
}

// wireCheckItems is Detail.CheckItem: a list of items, or a single item object.
type wireCheckItems struct {
	items   []wireObject[wireCheckItem]
	present bool
	bad     string
}

func (w *wireCheckItems) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
		w.present = true
	case '[':
		if json.Unmarshal(b, &w.items) == nil {
			w.present = true
		} else {
			w.bad = excerpt(b)
		}
	case '{':
		w.items = make([]wireObject[wireCheckItem], 1)
		_ = w.items[0].UnmarshalJSON(b) // never fails; a bad item is reported by its own field
		w.present = true
	default:
		w.bad = excerpt(b)
	}
	return nil
}

type wireResponse struct {
	RequestID                     wireString                          `json:"RequestId"`
	Success                       wireBool                            `json:"Success"`
	Code                          wireString                          `json:"Code"`
	Message                       wireString                          `json:"Message"`
	ErrCode                       wireString                          `json:"ErrCode"`
	ErrMessage                    wireString                          `json:"ErrMessage"`
	MigrationJobID                wireString                          `json:"MigrationJobId"`
	TaskID                        wireString                          `json:"TaskId"`
	MigrationJobName              wireString                          `json:"MigrationJobName"`
	MigrationJobClass             wireString                          `json:"MigrationJobClass"`
	MigrationJobStatus            wireString                          `json:"MigrationJobStatus"`
	PayType                       wireString                          `json:"PayType"`
	MigrationObject               wireJSONText                        `json:"MigrationObject"`
	MigrationMode                 wireObject[wireMigrationMode]       `json:"MigrationMode"`
	PrecheckStatus                wireObject[wirePrecheckStatus]      `json:"PrecheckStatus"`
	StructureInitializationStatus wireObject[wireInitialization]      `json:"StructureInitializationStatus"`
	DataInitializationStatus      wireObject[wireInitialization]      `json:"DataInitializationStatus"`
	DataSynchronizationStatus     wireObject[wireDataSynchronization] `json:"DataSynchronizationStatus"`
	SourceEndpoint                wireObject[wireEndpoint]            `json:"SourceEndpoint"`
	DestinationEndpoint           wireObject[wireEndpoint]            `json:"DestinationEndpoint"`
}

type wireMigrationMode struct {
	StructureInitialization wireBool `json:"structureInitialization"`
	DataInitialization      wireBool `json:"dataInitialization"`
	DataSynchronization     wireBool `json:"dataSynchronization"`
}

type wirePrecheckStatus struct {
	Status  wireString             `json:"Status"`
	Percent wireInt                `json:"Percent"`
	Detail  wireObject[wireDetail] `json:"Detail"`
}

type wireDetail struct {
	CheckItem wireCheckItems `json:"CheckItem"`
}

type wireCheckItem struct {
	CheckStatus  wireString `json:"CheckStatus"`
	ItemName     wireString `json:"ItemName"`
	ErrorMessage wireString `json:"ErrorMessage"`
	RepairMethod wireString `json:"RepairMethod"`
}

type wireInitialization struct {
	Status       wireString `json:"Status"`
	Percent      wireInt    `json:"Percent"`
	Progress     wireInt    `json:"Progress"`
	ErrorMessage wireString `json:"ErrorMessage"`
}

type wireDataSynchronization struct {
	Status       wireString `json:"Status"`
	Percent      wireInt    `json:"Percent"`
	Delay        wireInt    `json:"Delay"`
	Checkpoint   wireInt    `json:"Checkpoint"`
	ErrorMessage wireString `json:"ErrorMessage"`
}

type wireEndpoint struct {
	DatabaseName wireString `json:"DatabaseName"`
	EngineName   wireString `json:"EngineName"`
	IP           wireString `json:"IP"`
	InstanceID   wireString `json:"InstanceId"`
	InstanceType wireString `json:"InstanceType"`
	Port         wireInt    `json:"Port"`
	UserName     wireString `json:"UserName"`
	OracleSID    wireString `json:"oracleSID"`
}

// decodeWire parses a response body; it fails only when the body is not a JSON object.
func decodeWire(body []byte) (*wireResponse, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, errNotJSONObject
	}
	var w wireResponse
	if err := json.Unmarshal(trimmed, &w); err != nil {
		return nil, err
	}
	return &w, nil
}

type decodeError string

func (e decodeError) Error() string { return string(e) }

const errNotJSONObject = decodeError("the body is not a JSON object")

// converter turns wire values into typed ones, collecting a warning for each value it cannot use.
type converter struct {
	warnings []DecodeWarning
}

func (c *converter) warn(field, raw, want string) {
	c.warnings = append(c.warnings, DecodeWarning{Field: field, Raw: raw, Want: want})
}

func (c *converter) str(field string, w wireString) *string {
	if w.bad != "" {
		c.warn(field, w.bad, "string")
		return nil
	}
	if !w.set {
		return nil
	}
	v := w.v
	return &v
}

func (c *converter) int(field string, w wireInt) *int64 {
	if w.bad != "" {
		c.warn(field, w.bad, "integer")
		return nil
	}
	if !w.set {
		return nil
	}
	v := w.v
	return &v
}

func (c *converter) bool(field string, w wireBool) *bool {
	if w.bad != "" {
		c.warn(field, w.bad, "boolean")
		return nil
	}
	if !w.set {
		return nil
	}
	v := w.v
	return &v
}

// object reports a nested value that was not an object and says whether there is one to convert.
func object[T any](c *converter, field string, w *wireObject[T]) bool {
	if w.bad != "" {
		c.warn(field, w.bad, "object")
	}
	return w.present
}

// status converts a decoded success response into the typed result.
func (w *wireResponse) status() *MigrationJobStatus {
	c := &converter{}
	s := &MigrationJobStatus{
		RequestID:          c.str("RequestId", w.RequestID),
		MigrationJobID:     c.str("MigrationJobId", w.MigrationJobID),
		TaskID:             c.str("TaskId", w.TaskID),
		MigrationJobName:   c.str("MigrationJobName", w.MigrationJobName),
		MigrationJobClass:  c.str("MigrationJobClass", w.MigrationJobClass),
		MigrationJobStatus: c.str("MigrationJobStatus", w.MigrationJobStatus),
		PayType:            c.str("PayType", w.PayType),
		MigrationObject:    c.str("MigrationObject", w.MigrationObject.wireString),
	}
	if object(c, "MigrationMode", &w.MigrationMode) {
		m := &w.MigrationMode.v
		s.MigrationMode = &MigrationMode{
			StructureInitialization: c.bool("MigrationMode.structureInitialization", m.StructureInitialization),
			DataInitialization:      c.bool("MigrationMode.dataInitialization", m.DataInitialization),
			DataSynchronization:     c.bool("MigrationMode.dataSynchronization", m.DataSynchronization),
		}
	}
	if object(c, "PrecheckStatus", &w.PrecheckStatus) {
		p := &w.PrecheckStatus.v
		s.PrecheckStatus = &PrecheckStatus{
			Status:  c.str("PrecheckStatus.Status", p.Status),
			Percent: c.int("PrecheckStatus.Percent", p.Percent),
		}
		if object(c, "PrecheckStatus.Detail", &p.Detail) {
			s.PrecheckStatus.Detail = c.checkItems(&p.Detail.v.CheckItem)
		}
	}
	s.StructureInitializationStatus = c.initialization("StructureInitializationStatus", &w.StructureInitializationStatus)
	s.DataInitializationStatus = c.initialization("DataInitializationStatus", &w.DataInitializationStatus)
	if object(c, "DataSynchronizationStatus", &w.DataSynchronizationStatus) {
		d := &w.DataSynchronizationStatus.v
		s.DataSynchronizationStatus = &DataSynchronizationStatus{
			Status:       c.str("DataSynchronizationStatus.Status", d.Status),
			Percent:      c.int("DataSynchronizationStatus.Percent", d.Percent),
			Delay:        c.int("DataSynchronizationStatus.Delay", d.Delay),
			Checkpoint:   c.int("DataSynchronizationStatus.Checkpoint", d.Checkpoint),
			ErrorMessage: c.str("DataSynchronizationStatus.ErrorMessage", d.ErrorMessage),
		}
	}
	s.SourceEndpoint = c.endpoint("SourceEndpoint", &w.SourceEndpoint)
	s.DestinationEndpoint = c.endpoint("DestinationEndpoint", &w.DestinationEndpoint)
	s.Warnings = c.warnings
	return s
}

func (c *converter) checkItems(w *wireCheckItems) []CheckItem {
	if w.bad != "" {
		c.warn("PrecheckStatus.Detail.CheckItem", w.bad, "list")
	}
	items := make([]CheckItem, 0, len(w.items))
	for i := range w.items {
		field := "PrecheckStatus.Detail.CheckItem[" + strconv.Itoa(i) + "]"
		if !object(c, field, &w.items[i]) {
			continue
		}
		it := &w.items[i].v
		items = append(items, CheckItem{
			CheckStatus:  c.str(field+".CheckStatus", it.CheckStatus),
			ItemName:     c.str(field+".ItemName", it.ItemName),
			ErrorMessage: c.str(field+".ErrorMessage", it.ErrorMessage),
			RepairMethod: c.str(field+".RepairMethod", it.RepairMethod),
		})
	}
	return items
}

func (c *converter) initialization(field string, w *wireObject[wireInitialization]) *InitializationStatus {
	if !object(c, field, w) {
		return nil
	}
	v := &w.v
	return &InitializationStatus{
		Status:       c.str(field+".Status", v.Status),
		Percent:      c.int(field+".Percent", v.Percent),
		Progress:     c.int(field+".Progress", v.Progress),
		ErrorMessage: c.str(field+".ErrorMessage", v.ErrorMessage),
	}
}

func (c *converter) endpoint(field string, w *wireObject[wireEndpoint]) *Endpoint {
	if !object(c, field, w) {
		return nil
	}
	v := &w.v
	return &Endpoint{
		DatabaseName: c.str(field+".DatabaseName", v.DatabaseName),
		EngineName:   c.str(field+".EngineName", v.EngineName),
		IP:           c.str(field+".IP", v.IP),
		InstanceID:   c.str(field+".InstanceId", v.InstanceID),
		InstanceType: c.str(field+".InstanceType", v.InstanceType),
		Port:         c.int(field+".Port", v.Port),
		UserName:     c.str(field+".UserName", v.UserName),
		OracleSID:    c.str(field+".oracleSID", v.OracleSID),
	}
}

// unquote decodes a JSON string literal; the common case, with no escapes, costs one allocation.
func unquote(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	inner := b[1 : len(b)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner), true
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return "", false
	}
	return s, true
}

const excerptLimit = 120

// excerpt is a short, printable prefix of a raw value for messages.
func excerpt(b []byte) string {
	s := string(b)
	truncated := false
	if len(s) > excerptLimit {
		s = s[:excerptLimit]
		truncated = true
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if truncated {
		s += "…"
	}
	return s
}
