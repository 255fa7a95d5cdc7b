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
		inner, ok := unquoteBytes(b)
		if !ok {
			w.bad = excerpt(b)
			return nil
		}
		text = bytes.TrimSpace(inner)
		if len(text) == 0 {
			return nil
		}
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

// field names a response field, such as SourceEndpoint.IP or PrecheckStatus.Detail.CheckItem[2].ItemName.
// It is joined into a string only for a warning: building every name up front was nearly a third of the
// allocations of decoding a clean response.
type field struct {
	parent string // the enclosing field's path, "" at the top level
	index  int    // the element of the list parent names, or -1
	name   string // "" for the list element itself
}

func top(name string) field { return field{index: -1, name: name} }

// in names a field of the object at parent.
func in(parent, name string) field { return field{parent: parent, index: -1, name: name} }

func (f field) String() string {
	s := f.parent
	if f.index >= 0 {
		s += "[" + strconv.Itoa(f.index) + "]"
	}
	if f.name != "" && s != "" {
		s += "."
	}
	return s + f.name
}

// converter turns wire values into typed ones, collecting a warning for each value it cannot use.
// The result's pointers point into slabs it allocates a few at a time rather than one by one.
type converter struct {
	warnings []DecodeWarning
	strs     []string
	ints     []int64
	bools    []bool
}

// Slab sizes fit a full response (the documented sample has 47 strings, 8 integers, 3 booleans) in one each.
const (
	strSlab  = 64
	intSlab  = 16
	boolSlab = 4
)

func (c *converter) warn(f field, raw, want string) {
	c.warnings = append(c.warnings, DecodeWarning{Field: f.String(), Raw: raw, Want: want})
}

// slabPointer stores v in the slab and returns its address; a full slab is replaced, not grown, so
// the addresses already handed out stay valid.
func slabPointer[T any](slab *[]T, size int, v T) *T {
	if len(*slab) == cap(*slab) {
		*slab = make([]T, 0, size)
	}
	*slab = append(*slab, v)
	return &(*slab)[len(*slab)-1]
}

func (c *converter) str(f field, w wireString) *string {
	if w.bad != "" {
		c.warn(f, w.bad, "string")
		return nil
	}
	if !w.set {
		return nil
	}
	return slabPointer(&c.strs, strSlab, w.v)
}

func (c *converter) int(f field, w wireInt) *int64 {
	if w.bad != "" {
		c.warn(f, w.bad, "integer")
		return nil
	}
	if !w.set {
		return nil
	}
	return slabPointer(&c.ints, intSlab, w.v)
}

func (c *converter) bool(f field, w wireBool) *bool {
	if w.bad != "" {
		c.warn(f, w.bad, "boolean")
		return nil
	}
	if !w.set {
		return nil
	}
	return slabPointer(&c.bools, boolSlab, w.v)
}

// object reports a nested value that was not an object and says whether there is one to convert.
func object[T any](c *converter, f field, w *wireObject[T]) bool {
	if w.bad != "" {
		c.warn(f, w.bad, "object")
	}
	return w.present
}

// status converts a decoded success response into the typed result.
func (w *wireResponse) status() *MigrationJobStatus {
	c := &converter{}
	s := &MigrationJobStatus{
		RequestID:          c.str(top("RequestId"), w.RequestID),
		MigrationJobID:     c.str(top("MigrationJobId"), w.MigrationJobID),
		TaskID:             c.str(top("TaskId"), w.TaskID),
		MigrationJobName:   c.str(top("MigrationJobName"), w.MigrationJobName),
		MigrationJobClass:  c.str(top("MigrationJobClass"), w.MigrationJobClass),
		MigrationJobStatus: c.str(top("MigrationJobStatus"), w.MigrationJobStatus),
		PayType:            c.str(top("PayType"), w.PayType),
		MigrationObject:    c.str(top("MigrationObject"), w.MigrationObject.wireString),
	}
	if object(c, top("MigrationMode"), &w.MigrationMode) {
		m := &w.MigrationMode.v
		s.MigrationMode = &MigrationMode{
			StructureInitialization: c.bool(in("MigrationMode", "structureInitialization"), m.StructureInitialization),
			DataInitialization:      c.bool(in("MigrationMode", "dataInitialization"), m.DataInitialization),
			DataSynchronization:     c.bool(in("MigrationMode", "dataSynchronization"), m.DataSynchronization),
		}
	}
	if object(c, top("PrecheckStatus"), &w.PrecheckStatus) {
		p := &w.PrecheckStatus.v
		s.PrecheckStatus = &PrecheckStatus{
			Status:  c.str(in("PrecheckStatus", "Status"), p.Status),
			Percent: c.int(in("PrecheckStatus", "Percent"), p.Percent),
		}
		if object(c, in("PrecheckStatus", "Detail"), &p.Detail) {
			s.PrecheckStatus.Detail = c.checkItems(&p.Detail.v.CheckItem)
		}
	}
	s.StructureInitializationStatus = c.initialization("StructureInitializationStatus", &w.StructureInitializationStatus)
	s.DataInitializationStatus = c.initialization("DataInitializationStatus", &w.DataInitializationStatus)
	if object(c, top("DataSynchronizationStatus"), &w.DataSynchronizationStatus) {
		const at = "DataSynchronizationStatus"
		d := &w.DataSynchronizationStatus.v
		s.DataSynchronizationStatus = &DataSynchronizationStatus{
			Status:       c.str(in(at, "Status"), d.Status),
			Percent:      c.int(in(at, "Percent"), d.Percent),
			Delay:        c.int(in(at, "Delay"), d.Delay),
			Checkpoint:   c.int(in(at, "Checkpoint"), d.Checkpoint),
			ErrorMessage: c.str(in(at, "ErrorMessage"), d.ErrorMessage),
		}
	}
	s.SourceEndpoint = c.endpoint("SourceEndpoint", &w.SourceEndpoint)
	s.DestinationEndpoint = c.endpoint("DestinationEndpoint", &w.DestinationEndpoint)
	s.Warnings = c.warnings
	return s
}

func (c *converter) checkItems(w *wireCheckItems) []CheckItem {
	const at = "PrecheckStatus.Detail.CheckItem"
	if w.bad != "" {
		c.warn(top(at), w.bad, "list")
	}
	items := make([]CheckItem, 0, len(w.items))
	for i := range w.items {
		item := func(name string) field { return field{parent: at, index: i, name: name} }
		if !object(c, item(""), &w.items[i]) {
			continue
		}
		it := &w.items[i].v
		items = append(items, CheckItem{
			CheckStatus:  c.str(item("CheckStatus"), it.CheckStatus),
			ItemName:     c.str(item("ItemName"), it.ItemName),
			ErrorMessage: c.str(item("ErrorMessage"), it.ErrorMessage),
			RepairMethod: c.str(item("RepairMethod"), it.RepairMethod),
		})
	}
	return items
}

func (c *converter) initialization(at string, w *wireObject[wireInitialization]) *InitializationStatus {
	if !object(c, top(at), w) {
		return nil
	}
	v := &w.v
	return &InitializationStatus{
		Status:       c.str(in(at, "Status"), v.Status),
		Percent:      c.int(in(at, "Percent"), v.Percent),
		Progress:     c.int(in(at, "Progress"), v.Progress),
		ErrorMessage: c.str(in(at, "ErrorMessage"), v.ErrorMessage),
	}
}

func (c *converter) endpoint(at string, w *wireObject[wireEndpoint]) *Endpoint {
	if !object(c, top(at), w) {
		return nil
	}
	v := &w.v
	return &Endpoint{
		DatabaseName: c.str(in(at, "DatabaseName"), v.DatabaseName),
		EngineName:   c.str(in(at, "EngineName"), v.EngineName),
		IP:           c.str(in(at, "IP"), v.IP),
		InstanceID:   c.str(in(at, "InstanceId"), v.InstanceID),
		InstanceType: c.str(in(at, "InstanceType"), v.InstanceType),
		Port:         c.int(in(at, "Port"), v.Port),
		UserName:     c.str(in(at, "UserName"), v.UserName),
		OracleSID:    c.str(in(at, "oracleSID"), v.OracleSID),
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

// unquoteBytes is unquote for a value parsed on the spot: without escapes it returns the bytes
// between the quotes, with no copy.
func unquoteBytes(b []byte) ([]byte, bool) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		if inner := b[1 : len(b)-1]; bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
			return inner, true
		}
	}
	s, ok := unquote(b)
	return []byte(s), ok
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
