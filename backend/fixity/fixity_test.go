package fixity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func writeMaster(t *testing.T, dir, name string, data []byte) Master {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return Master{AssetID: name, Path: p, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
}

func TestCheckFindsEveryKindOfDamage(t *testing.T) {
	dir := t.TempDir()
	data := []byte(strings.Repeat("frame ", 400_000)) // over one read
	intact := writeMaster(t, dir, "intact", data)
	flipped := writeMaster(t, dir, "flipped", data)
	b, _ := os.ReadFile(flipped.Path)
	b[len(b)/2] ^= 0x01 // one bit of one byte
	os.WriteFile(flipped.Path, b, 0o600)
	short := writeMaster(t, dir, "short", data)
	os.Truncate(short.Path, short.Size-1)
	missing := writeMaster(t, dir, "missing", data)
	os.Remove(missing.Path)

	cases := []struct {
		m    Master
		want string
	}{{intact, ""}, {flipped, "bytes changed"}, {short, "bytes, but"}, {missing, "missing"}}
	for _, c := range cases {
		r, err := Check(context.Background(), c.m, Throttle{})
		if err != nil {
			t.Fatalf("%s: %v", c.m.AssetID, err)
		}
		if c.want == "" && r.Damaged() || c.want != "" && !strings.Contains(r.Problem, c.want) {
			t.Errorf("%s: problem %q, want %q", c.m.AssetID, r.Problem, c.want)
		}
	}
	damaged, err := CheckAll(context.Background(), []Master{intact, flipped, short, missing}, Throttle{}, nil)
	if err != nil || len(damaged) != 3 {
		t.Errorf("CheckAll: %d damaged (%v), want 3", len(damaged), err)
	}
}

// The throttle pauses in proportion to the time spent reading, so the
// check takes at most the set share of the disk's time; Check pauses after
// every read.
func TestThrottleKeepsToItsShare(t *testing.T) {
	var slept []time.Duration
	record := func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	Throttle{Share: 0.25, Sleep: record}.pause(context.Background(), 10*time.Millisecond)
	Throttle{Share: 0.5, Sleep: record}.pause(context.Background(), 10*time.Millisecond)
	Throttle{Share: 1, Sleep: record}.pause(context.Background(), 10*time.Millisecond)
	if len(slept) != 2 || slept[0] != 30*time.Millisecond || slept[1] != 10*time.Millisecond {
		t.Errorf("pauses %v, want [30ms 10ms] (a share of 1 never pauses)", slept)
	}

	m := writeMaster(t, t.TempDir(), "m", make([]byte, 5*readSize))
	slept = nil
	if r, err := Check(context.Background(), m, Throttle{Share: 0.25, Sleep: record}); err != nil || r.Damaged() {
		t.Fatal(r.Problem, err)
	}
	if len(slept) < 5 {
		t.Errorf("paused %d times for 5 reads", len(slept))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Check(ctx, m, Throttle{Share: 0.5}); err == nil {
		t.Error("a cancelled check finished")
	}
}

func TestAuditorRunsOnScheduleAndRecords(t *testing.T) {
	dir := t.TempDir()
	good := writeMaster(t, dir, "good", []byte("good master"))
	bad := writeMaster(t, dir, "bad", []byte("bad master"))
	os.WriteFile(bad.Path, []byte("bad mastex"), 0o600)

	var mu sync.Mutex
	var last time.Time
	recorded := map[string]string{}
	runs := make(chan time.Time, 10)
	a := NewAuditor(AuditConfig{
		Masters: func(context.Context) ([]Master, error) { return []Master{good, bad}, nil },
		Record: func(_ context.Context, r Result) error {
			mu.Lock()
			defer mu.Unlock()
			recorded[r.AssetID] = r.Problem
			return nil
		},
		LastRun: func(context.Context) (time.Time, error) { mu.Lock(); defer mu.Unlock(); return last, nil },
		SaveRun: func(_ context.Context, at time.Time) error {
			mu.Lock()
			last = at
			mu.Unlock()
			runs <- at
			return nil
		},
		Interval: 200 * time.Millisecond,
		Throttle: Throttle{Share: 1},
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	first := <-runs // no audit yet: due at once
	second := <-runs
	if gap := second.Sub(first); gap < 200*time.Millisecond {
		t.Errorf("audits %v apart, want the interval (200ms) at least", gap)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if recorded["good"] != "" || !strings.Contains(recorded["bad"], "bytes changed") {
		t.Errorf("recorded %v", recorded)
	}
}

func TestManifestRoundTripAndRefusesPathsOutside(t *testing.T) {
	data := t.TempDir()
	os.MkdirAll(filepath.Join(data, "masters"), 0o700)
	m := writeMaster(t, filepath.Join(data, "masters"), "a.mp4", []byte("x"))
	man, err := NewManifest(data, "reelvault.db", []Master{m}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "manifest.json")
	raw, _ := json.Marshal(man)
	os.WriteFile(path, raw, 0o600)
	back, err := ReadManifest(path)
	if err != nil || len(back.Masters) != 1 || back.Masters[0].File != "masters/a.mp4" {
		t.Fatalf("read back %+v, %v", back, err)
	}
	if got := back.MastersIn(data)[0]; got != m {
		t.Errorf("MastersIn: %+v, want %+v", got, m)
	}
	man.Masters[0].File = "../../etc/passwd"
	raw, _ = json.Marshal(man)
	os.WriteFile(path, raw, 0o600)
	if _, err := ReadManifest(path); err == nil {
		t.Error("a manifest naming a file outside the data folder was accepted")
	}
}

// A list read before a rebuild swapped a master checks the asset's master now: the old file,
// still there until the rebuild removes it, is not the one read (its result would be for a
// file the asset no longer has); an asset gone since is skipped.
func TestCheckAllCurrentChecksTheMasterAssetsHaveNow(t *testing.T) {
	dir := t.TempDir()
	old := writeMaster(t, dir, "old", []byte("the first master"))
	rebuilt := writeMaster(t, dir, "new", []byte("the master made again"))
	rebuilt.AssetID = old.AssetID
	gone := writeMaster(t, dir, "gone", []byte("deleted since"))
	current := func(_ context.Context, id string) (Master, bool, error) {
		if id == old.AssetID {
			return rebuilt, true, nil
		}
		return Master{}, false, nil
	}
	var reported []Result
	damaged, err := CheckAllCurrent(context.Background(), []Master{old, gone}, Throttle{}, current, func(r Result) { reported = append(reported, r) })
	if err != nil || len(damaged) != 0 {
		t.Fatalf("CheckAllCurrent: damaged %+v, %v", damaged, err)
	}
	if len(reported) != 1 || reported[0].Path != rebuilt.Path || reported[0].SHA256 != rebuilt.SHA256 {
		t.Fatalf("reported %+v, want one result, for the rebuilt master %s", reported, rebuilt.Path)
	}
}
