package webhooks

import (
	"context"
	"errors"
	"testing"
	"time"

	"reelvault/backend/fail"
	"reelvault/backend/internal/testtime"
)

func TestEndpointLifecycle(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, "")
	clock := testtime.Running()
	cfg := fastConfig(t)
	cfg.Now = clock.Now
	s, err := New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Create(ctx, "https://hooks.example.com/a")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == "" || !a.Enabled || a.SigningSecret == "" || a.CreatedAt.IsZero() {
		t.Fatalf("created endpoint is incomplete: %+v", a)
	}
	clock.Advance(time.Millisecond) // b is created after a
	b, err := s.Create(ctx, "http://127.0.0.1:9000/b")
	if err != nil {
		t.Fatal(err)
	}

	list, err := s.List(ctx, Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
		t.Fatalf("list = %+v, want [b a] (newest first)", list)
	}
	for _, ep := range list {
		if ep.SigningSecret != "" {
			t.Errorf("list shows the secret of %s; it is shown only once", ep.ID)
		}
	}
	got, err := s.Get(ctx, a.ID)
	if err != nil || got.Address != a.Address || got.SigningSecret != "" {
		t.Fatalf("get = %+v, %v", got, err)
	}

	off := false
	newAddr := "https://hooks.example.com/a2"
	upd, err := s.Update(ctx, a.ID, EndpointPatch{Address: &newAddr, Enabled: &off})
	if err != nil || upd.Address != newAddr || upd.Enabled {
		t.Fatalf("update = %+v, %v", upd, err)
	}
	if got, _ := s.Get(ctx, a.ID); got.Enabled || got.Address != newAddr {
		t.Fatalf("update not stored: %+v", got)
	}
	// PATCH with only enabled keeps the address.
	on := true
	if upd, err = s.Update(ctx, a.ID, EndpointPatch{Enabled: &on}); err != nil || !upd.Enabled || upd.Address != newAddr {
		t.Fatalf("enable only = %+v, %v", upd, err)
	}

	rotated, err := s.RotateSecret(ctx, a.ID)
	if err != nil || rotated.SigningSecret == "" || rotated.SigningSecret == a.SigningSecret {
		t.Fatalf("rotate = %+v, %v", rotated, err)
	}

	if err := s.Delete(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get after delete: %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v, want ErrNotFound", err)
	}
	if _, err := s.Update(ctx, "nope", EndpointPatch{Enabled: &on}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("update unknown: %v, want ErrNotFound", err)
	}
}

func TestBadEndpointAddressesAreRefused(t *testing.T) {
	ctx := context.Background()
	s, err := New(openDB(t, ""), fastConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	existing, err := s.Create(ctx, "https://hooks.example.com/taken")
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{
		"empty":             "",
		"blank":             "   ",
		"relative":          "/hooks/mux",
		"no scheme":         "hooks.example.com/mux",
		"ftp":               "ftp://hooks.example.com/mux",
		"file":              "file:///tmp/hook",
		"no host":           "http:///mux",
		"opaque":            "http:hooks.example.com",
		"not a url":         "http://[::1",
		"duplicate":         "https://hooks.example.com/taken",
		"duplicate spelled": "HTTPS://Hooks.Example.com/taken",
	}
	for name, addr := range bad {
		_, err := s.Create(ctx, addr)
		var ve *fail.InvalidError
		if !errors.As(err, &ve) || ve.Field != "address" || ve.Message == "" {
			t.Errorf("%s (%q): err = %v, want a ValidationError on address", name, addr, err)
		}
	}
	other, err := s.Create(ctx, "https://hooks.example.com/other")
	if err != nil {
		t.Fatal(err)
	}
	taken := existing.Address
	if _, err := s.Update(ctx, other.ID, EndpointPatch{Address: &taken}); err == nil {
		t.Error("moving an endpoint onto a taken address was accepted")
	}
	list, _ := s.List(ctx, Page{})
	if len(list) != 2 {
		t.Errorf("%d endpoints stored, want only the 2 valid ones", len(list))
	}
}
