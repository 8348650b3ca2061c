package diskspace

import (
	"strings"
	"syscall"
	"testing"
)

func TestParseReserve(t *testing.T) {
	good := map[string]Reserve{
		"2GB": {Bytes: 2e9}, "500MB": {Bytes: 500e6}, "1.5GiB": {Bytes: 3 << 29}, "123456": {Bytes: 123456},
		" 5% ": {Share: 0.05}, "0": {}, "10g": {Bytes: 10e9},
	}
	for in, want := range good {
		if got, err := ParseReserve(in); err != nil || got != want {
			t.Errorf("ParseReserve(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "lots", "-1GB", "100%", "150%", "1e30GB", "NaN", "2 XB"} {
		if got, err := ParseReserve(in); err == nil {
			t.Errorf("ParseReserve(%q) = %+v, want an error", in, got)
		}
	}
}

func TestCheck(t *testing.T) {
	disk := func(free, size int64) func(string) (int64, int64, error) {
		return func(string) (int64, int64, error) { return free, size, nil }
	}
	c := &Checker{Reserve: Reserve{Bytes: 1e9}, Free: disk(13e9, 100e9)}
	if err := c.Check("/x", 12e9); err != nil {
		t.Errorf("12 GB + 1 GB reserve on 13 GB free: %v", err)
	}
	err := c.Check("/x", 24e9)
	if !IsShort(err) || !strings.Contains(err.Error(), "waiting for 12 GB of free space") {
		t.Errorf("24 GB + 1 GB reserve on 13 GB free: %v, want waiting for 12 GB", err)
	}
	c = &Checker{Reserve: Reserve{Share: 0.10}, Free: disk(9e9, 100e9)}
	if err := c.Check("/x", 0); !IsShort(err) {
		t.Errorf("9 GB free under a 10%% reserve of 100 GB: %v, want short", err)
	}
	if !IsShort(syscall.ENOSPC) || IsShort(syscall.EACCES) {
		t.Error("IsShort: ENOSPC is a full disk, EACCES is not")
	}
	var none *Checker
	if err := none.Check("/x", 1<<62); err != nil {
		t.Errorf("a nil checker checks nothing: %v", err)
	}
	// The real statfs of a real folder answers.
	if free, size, err := Available(t.TempDir()); err != nil || free <= 0 || size < free {
		t.Errorf("Available = %d, %d, %v", free, size, err)
	}
}
