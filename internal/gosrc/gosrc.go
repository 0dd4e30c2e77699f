package gosrc

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Write appends v to b as a Go expression of package pkg (its types are
// written without the pkg. qualifier, others with theirs). Zero fields of
// structs are left out; interfaces, funcs and channels are refused, as is
// a nil pointer's absence of a zero (a nil pointer is written nil).
func Write(b *bytes.Buffer, v reflect.Value, pkg string) error {
	return write(b, v, pkg, false)
}

// WriteElem is Write for an element of a slice, array or map literal: a
// composite literal's type (a pointer's &) left out.
func WriteElem(b *bytes.Buffer, v reflect.Value, pkg string) error {
	return write(b, v, pkg, true)
}

// write is Write; elide leaves out a composite literal's type (and a
// pointer's &), as the elements and keys of a slice, array or map literal
// may.
func write(b *bytes.Buffer, v reflect.Value, pkg string, elide bool) error {
	switch v.Kind() {
	case reflect.String:
		b.WriteString(strconv.Quote(v.String()))
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil")
			return nil
		}
		if v.Elem().Kind() != reflect.Struct {
			return fmt.Errorf("a pointer to %s can not be written as Go source", v.Elem().Kind())
		}
		if !elide {
			b.WriteString("&")
		}
		return write(b, v.Elem(), pkg, elide)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			b.WriteString("nil")
			return nil
		}
		b.WriteString(typeName(v.Type(), pkg))
		b.WriteString("{")
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			if err := write(b, v.Index(i), pkg, true); err != nil {
				return err
			}
		}
		b.WriteString("}")
	case reflect.Map:
		if v.IsNil() {
			b.WriteString("nil")
			return nil
		}
		b.WriteString(typeName(v.Type(), pkg))
		b.WriteString("{\n")
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			if err := write(b, k, pkg, true); err != nil {
				return err
			}
			b.WriteString(": ")
			if err := write(b, v.MapIndex(k), pkg, true); err != nil {
				return err
			}
			b.WriteString(",\n")
		}
		b.WriteString("}")
	case reflect.Struct:
		if !elide {
			b.WriteString(typeName(v.Type(), pkg))
		}
		b.WriteString("{\n")
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := v.Field(i)
			if f.IsZero() {
				continue
			}
			b.WriteString(t.Field(i).Name + ": ")
			if err := write(b, f, pkg, false); err != nil {
				return fmt.Errorf("%s: %w", t.Field(i).Name, err)
			}
			b.WriteString(",\n")
		}
		b.WriteString("}")
	default:
		return fmt.Errorf("a %s value can not be written as Go source", v.Kind())
	}
	return nil
}

// typeName is how package pkg spells t.
func typeName(t reflect.Type, pkg string) string {
	return strings.ReplaceAll(t.String(), pkg+".", "")
}
