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
// a list as an array, a single object, or an object whose one key holds the array. The response
// types are built from the leaf types below, which decode straight from the wire and never fail: a
// value a leaf cannot use is kept, as an excerpt, in its Bad field, so one odd field never costs the
// rest of the response and the caller can say which field was odd.

// String is a text field. Numbers and booleans sent in its place are kept as their literal text.
type String struct {
	// Val is the value; meaningful only when Set.
	Val string
	// Set is false when the field was missing, null or the empty string.
	Set bool
	// Bad is an excerpt of a value that was not text (an object or a list); Set is false then.
	Bad string
}

// StringOf returns a String holding s; an empty s is not Set, as on the wire.
func StringOf(s string) String { return String{Val: s, Set: s != ""} }

// Ptr returns the value, or nil when it is not Set.
func (s String) Ptr() *string {
	if !s.Set {
		return nil
	}
	return &s.Val
}

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (s *String) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
	case '"':
		v, ok := unquote(b)
		if !ok {
			s.Bad = excerpt(b)
			return nil
		}
		s.Val, s.Set = v, v != ""
	case '{', '[':
		s.Bad = excerpt(b)
	default:
		s.Val, s.Set = string(b), true
	}
	return nil
}

// JSONText is a field documented as a string holding JSON. A JSON object or array sent in its place
// is kept as its compact text, which is what the string would have held.
type JSONText struct {
	String
}

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (t *JSONText) UnmarshalJSON(b []byte) error {
	if b[0] != '{' && b[0] != '[' {
		return t.String.UnmarshalJSON(b)
	}
	var buf bytes.Buffer
	if json.Compact(&buf, b) == nil {
		t.Val, t.Set = buf.String(), true
	} else {
		t.Bad = excerpt(b)
	}
	return nil
}

// Int is an integer field sent as a JSON number or a numeric string. A number with an integral
// value, such as 100.0 or 1e3, is accepted.
type Int struct {
	// Val is the value; meaningful only when Set.
	Val int64
	// Set is false when the field was missing, null or an empty string.
	Set bool
	// Bad is an excerpt of a value that is not an integer; Set is false then.
	Bad string
}

// IntOf returns a set Int holding v.
func IntOf(v int64) Int { return Int{Val: v, Set: true} }

// Ptr returns the value, or nil when it is not Set.
func (n Int) Ptr() *int64 {
	if !n.Set {
		return nil
	}
	return &n.Val
}

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (n *Int) UnmarshalJSON(b []byte) error {
	text, present := numberText(b)
	if !present {
		return nil
	}
	if v, ok := parseInt(text); ok {
		n.Val, n.Set = v, true
		return nil
	}
	n.Bad = excerpt(b)
	return nil
}

// numberText returns the text of a number field sent bare or as a string, spaces trimmed from a
// string. present is false for null and for an empty string, which leave the field unset; text that
// is no number (an unterminated string too) is returned for the caller's parse to refuse.
func numberText(b []byte) (text []byte, present bool) {
	switch b[0] {
	case 'n':
		return nil, false
	case '"':
		inner, ok := unquoteBytes(b)
		if !ok {
			return b, true
		}
		inner = bytes.TrimSpace(inner)
		return inner, len(inner) > 0
	}
	return b, true
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

// Float is a number field that may carry a fraction, sent as a JSON number or a numeric string.
// Infinities and NaN, which JSON cannot carry, are kept in Bad when a string spells them.
type Float struct {
	// Val is the value; meaningful only when Set.
	Val float64
	// Set is false when the field was missing, null or an empty string.
	Set bool
	// Bad is an excerpt of a value that is not a finite number; Set is false then.
	Bad string
}

// FloatOf returns a set Float holding v.
func FloatOf(v float64) Float { return Float{Val: v, Set: true} }

// Ptr returns the value, or nil when it is not Set.
func (n Float) Ptr() *float64 {
	if !n.Set {
		return nil
	}
	return &n.Val
}

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (n *Float) UnmarshalJSON(b []byte) error {
	text, present := numberText(b)
	if !present {
		return nil
	}
	if v, err := strconv.ParseFloat(string(text), 64); err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
		n.Val, n.Set = v, true
		return nil
	}
	n.Bad = excerpt(b)
	return nil
}

// Bool is a boolean field sent as true/false or as a string such as "true".
type Bool struct {
	// Val is the value; meaningful only when Set.
	Val bool
	// Set is false when the field was missing, null or an empty string.
	Set bool
	// Bad is an excerpt of a value that is not a boolean; Set is false then.
	Bad string
}

// BoolOf returns a set Bool holding v.
func BoolOf(v bool) Bool { return Bool{Val: v, Set: true} }

// Ptr returns the value, or nil when it is not Set.
func (f Bool) Ptr() *bool {
	if !f.Set {
		return nil
	}
	return &f.Val
}

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (f *Bool) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
		return nil
	case 't', 'f':
		if v, err := strconv.ParseBool(string(b)); err == nil {
			f.Val, f.Set = v, true
			return nil
		}
	case '"':
		if s, ok := unquote(b); ok {
			s = strings.TrimSpace(s)
			if s == "" {
				return nil
			}
			if v, err := strconv.ParseBool(s); err == nil {
				f.Val, f.Set = v, true
				return nil
			}
		}
	}
	f.Bad = excerpt(b)
	return nil
}

// Object is a nested object. Anything but an object (or null) is kept in Bad.
type Object[T any] struct {
	v *T
	// Bad is an excerpt of a value that was not an object.
	Bad string
}

// ObjectOf returns a present Object holding v.
func ObjectOf[T any](v T) Object[T] { return Object[T]{v: &v} }

// Get returns the object, or nil when the response had none.
func (o Object[T]) Get() *T { return o.v }

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (o *Object[T]) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
	case '{':
		v := new(T)
		if json.Unmarshal(b, v) == nil {
			o.v = v
		} else {
			o.Bad = excerpt(b)
		}
	default:
		o.Bad = excerpt(b)
	}
	return nil
}

// ListElement is implemented by the element types of lists that the service may wrap in an object
// with one key, such as {"CheckItem": [...]}; it names that key.
type ListElement interface {
	listKey() string
}

// List is a list of objects, sent as a JSON array, as a single object, or wrapped in an object whose
// one key (the element type's listKey) holds the array or the single object. Elements that are not
// objects are left out of Items and recorded in Skipped, so that Items' indexes are the ones a
// caller shows.
type List[T ListElement] struct {
	// Items are the elements that were objects, in order.
	Items []T
	// Present is false when the field was missing; a present list may be empty.
	Present bool
	// Bad is an excerpt of a value that was not a list at all.
	Bad string
	// Skipped are excerpts of elements that were not objects.
	Skipped []string
}

// ListOf returns a present List holding items.
func ListOf[T ListElement](items ...T) List[T] {
	return List[T]{Items: append([]T{}, items...), Present: true}
}

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (l *List[T]) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
		l.Present = true
	case '[':
		// Most lists hold objects only: decode them straight into Items, and go element by element
		// only when one is not an object. (A null element decodes as an empty item.)
		var items []T
		if json.Unmarshal(b, &items) == nil {
			l.Present, l.Items = true, items
			return nil
		}
		var elems []json.RawMessage
		if json.Unmarshal(b, &elems) == nil {
			l.Present = true
			l.Items = make([]T, 0, len(elems))
			for _, e := range elems {
				l.add(e)
			}
		} else {
			l.Bad = excerpt(b)
		}
	case '{':
		if inner, ok := wrapped(b, (*new(T)).listKey()); ok {
			return l.UnmarshalJSON(inner)
		}
		l.Present = true
		l.add(b)
	default:
		l.Bad = excerpt(b)
	}
	return nil
}

// add decodes one element into the next item, straight into Items; an element that is not an object
// is recorded in Skipped, a null one left out.
func (l *List[T]) add(e []byte) {
	switch e[0] {
	case 'n':
	case '{':
		l.Items = append(l.Items, *new(T))
		if json.Unmarshal(e, &l.Items[len(l.Items)-1]) != nil {
			l.Items = l.Items[:len(l.Items)-1]
			l.Skipped = append(l.Skipped, excerpt(e))
		}
	default:
		l.Skipped = append(l.Skipped, excerpt(e))
	}
}

// wrapped returns the value of an object's one key when that key is the list's key (matched
// ignoring case, as encoding/json matches field names).
func wrapped(b []byte, key string) (json.RawMessage, bool) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(b, &fields) != nil || len(fields) != 1 {
		return nil, false
	}
	for k, v := range fields {
		// The wrapper holds a list, an object or null; a lone field with another value is an element.
		if strings.EqualFold(k, key) && len(v) > 0 && (v[0] == '[' || v[0] == '{' || v[0] == 'n') {
			return v, true
		}
	}
	return nil, false
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
