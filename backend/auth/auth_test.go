package auth

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"reelvault/backend/internal/testtime"
	"reelvault/backend/store"
)

func openDB(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// A session outlives the process that opened it, a code from
// `reelvault login-code` works once beside the one serve shows, and signing
// out ends the session for good.
func TestSessionsSurviveARestartAndSignOutRevokes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "reelvault.db")
	clock := testtime.Fixed(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))

	db := openDB(t, path)
	var announced []string
	first := New(Config{DB: db, Now: clock.Now, OnCode: func(c string) { announced = append(announced, c) }})
	shown, err := first.CurrentCode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := first.CurrentCode(ctx); again != shown {
		t.Errorf("the shown code changed before use: %q then %q", shown, again)
	}
	token, res, err := first.LogIn(ctx, shown, "127.0.0.1")
	if err != nil || res != LoggedIn {
		t.Fatalf("log in: %v %v", res, err)
	}
	if len(announced) != 2 || announced[0] != shown || announced[1] == shown {
		t.Errorf("announced %v; want the shown code, then a new one as soon as it was used", announced)
	}
	if next, _ := first.CurrentCode(ctx); next == shown || next != announced[1] {
		t.Errorf("the code shown after a login is %q, want the new one announced", next)
	}
	db.Close()

	// The restart; and a second process (`reelvault login-code`) made a code.
	db = openDB(t, path)
	defer db.Close()
	extra, err := New(Config{DB: db, Now: clock.Now}).NewCode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second := New(Config{DB: db, Now: clock.Now})
	if !second.Valid(ctx, token) {
		t.Fatal("the session did not survive the restart")
	}
	if _, res, _ := second.LogIn(ctx, shown, "127.0.0.1"); res != WrongCode {
		t.Errorf("a used code logged in again (%v)", res)
	}
	other, res, err := second.LogIn(ctx, extra, "127.0.0.1")
	if err != nil || res != LoggedIn {
		t.Fatalf("the login-code code: %v %v", res, err)
	}
	if err := second.LogOut(ctx, token); err != nil {
		t.Fatal(err)
	}
	if second.Valid(ctx, token) {
		t.Error("a signed-out session still opens the API")
	}
	if !second.Valid(ctx, other) {
		t.Error("signing one browser out ended another's session")
	}
	clock.Advance(SessionTTL + time.Second)
	if second.Valid(ctx, other) {
		t.Error("a session outlived its lifetime")
	}
	code, _ := second.NewCode(ctx)
	clock.Advance(CodeTTL + time.Second)
	if _, res, _ := second.LogIn(ctx, code, "127.0.0.1"); res != WrongCode {
		t.Errorf("an expired code logged in (%v)", res)
	}
}
