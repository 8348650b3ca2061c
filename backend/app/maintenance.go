package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"reelvault/backend/archive"
	"reelvault/backend/auth"
	"reelvault/backend/fixity"
	"reelvault/backend/internal/partfile"
	"reelvault/backend/jobs"
	"reelvault/backend/links"
	"reelvault/backend/store"
	"reelvault/backend/wire"
)

// settingLastAudit is when the last fixity audit started (Unix seconds).
const settingLastAudit = "fixity.last_audit"

func lastAudit(ctx context.Context, db *store.DB) (time.Time, error) {
	v, ok, err := db.Setting(ctx, settingLastAudit)
	if err != nil || !ok {
		return time.Time{}, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, nil // unreadable: audit now
	}
	return time.Unix(n, 0), nil
}

// pruneEveryDay runs prune once a day (and at start) with the cut-off of
// retention ago; a retention below 0 keeps everything.
func pruneEveryDay(retention time.Duration, log *slog.Logger, prune func(context.Context, time.Time) (int64, error)) func(context.Context) error {
	return func(ctx context.Context) error {
		if retention < 0 {
			<-ctx.Done()
			return nil
		}
		tick := time.NewTicker(24 * time.Hour)
		defer tick.Stop()
		for {
			n, err := prune(ctx, time.Now().Add(-retention))
			switch {
			case err != nil && ctx.Err() == nil:
				log.Warn("pruning old records failed; trying again tomorrow", "err", err)
			case n > 0:
				log.Info("pruned old records of delivered webhooks", "deliveries", n, "older_than", retention)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
			}
		}
	}
}

// settingAPIURL is where the last `serve` or window answered, for
// `reelvault login-code` to print a whole address.
const settingAPIURL = "ui.api_url"

// loginCode prints a new one-time browser login code.
func loginCode(ctx context.Context, db *store.DB, stdout, stderr io.Writer) int {
	code, err := auth.New(auth.Config{DB: db}).NewCode(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "reelvault login-code: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "One-time login code (works once, for %d minutes): %s\n", int(auth.CodeTTL.Minutes()), code)
	if url, ok, _ := db.Setting(ctx, settingAPIURL); ok {
		fmt.Fprintf(stdout, "Open: %s/?code=%s\n", url, code)
	}
	return 0
}

// Maintenance is `reelvault verify`, `backup` or `login-code`: it works on the
// data folder and ends, with no listener and no window.
type Maintenance struct {
	Name     string // verify | backup | login-code
	DataDir  string
	Manifest string // verify: check the masters a backup manifest lists
	Dir      string // backup: where the snapshot goes
}

func parseMaintenance(name string, args []string, getenv func(string) string, stderr io.Writer) (Maintenance, error) {
	m := Maintenance{Name: name}
	fs := flag.NewFlagSet("reelvault "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := getenv("REELVAULT_DATA")
	if dataDir == "" {
		dataDir = defaultDataDir(getenv)
	}
	fs.StringVar(&m.DataDir, "data", dataDir, "the data folder (env REELVAULT_DATA)")
	switch name {
	case "login-code":
		fs.Usage = func() {
			fmt.Fprintln(stderr, "Usage: reelvault login-code [--data DIR]\nPrints a new one-time code (and address) that logs a browser in to the Reelvault using DIR.")
			fs.PrintDefaults()
		}
	case "verify":
		fs.StringVar(&m.Manifest, "manifest", "", "check the masters a backup manifest lists, instead of those the database records")
		fs.Usage = func() {
			fmt.Fprintln(stderr, "Usage: reelvault verify [--data DIR] [--manifest FILE]\nRe-hashes every master against its recorded SHA-256; exits 1 if any is missing or changed.")
			fs.PrintDefaults()
		}
	default:
		fs.Usage = func() {
			fmt.Fprintln(stderr, "Usage: reelvault backup [--data DIR] DIR\nWrites a consistent snapshot of the database and a manifest of every master's SHA-256 into DIR.")
			fs.PrintDefaults()
		}
	}
	if err := fs.Parse(args); err != nil {
		return m, err
	}
	switch {
	case name == "backup" && fs.NArg() != 1:
		return m, fmt.Errorf("backup needs one folder to write to (reelvault backup DIR)")
	case name == "backup":
		m.Dir = fs.Arg(0)
	case fs.NArg() > 0:
		return m, fmt.Errorf("unexpected argument %q (see reelvault %s -h)", fs.Arg(0), name)
	}
	var err error
	m.DataDir, err = filepath.Abs(m.DataDir)
	return m, err
}

// Run carries out the command and returns the process's exit code: 0 when
// all is well, 1 when a master is damaged or the work failed.
func (m Maintenance) Run(ctx context.Context, log *slog.Logger, stdout, stderr io.Writer) int {
	if _, err := os.Stat(filepath.Join(m.DataDir, "reelvault.db")); err != nil {
		fmt.Fprintf(stderr, "reelvault %s: %s holds no Reelvault database: %v\n", m.Name, m.DataDir, err)
		return 1
	}
	db, err := store.Open(ctx, filepath.Join(m.DataDir, "reelvault.db"), log)
	if err != nil {
		fmt.Fprintf(stderr, "reelvault %s: %v\n", m.Name, err)
		return 1
	}
	defer db.Close()
	if m.Name == "login-code" {
		return loginCode(ctx, db, stdout, stderr)
	}
	// The archive service reads the recorded masters and records findings;
	// its workers are not started, and no link is given out from here.
	key, err := loadOrCreateKey(m.DataDir, "link-signing.key", 32)
	if err != nil {
		fmt.Fprintf(stderr, "reelvault %s: %v\n", m.Name, err)
		return 1
	}
	signer, err := links.NewSigner(key, "http://127.0.0.1")
	if err != nil {
		fmt.Fprintf(stderr, "reelvault %s: %v\n", m.Name, err)
		return 1
	}
	arch, err := archive.New(db, jobs.New(db, log), archive.Config{DataDir: m.DataDir, AssetEvent: wire.NewAssets(signer).Event, Log: log})
	if err != nil {
		fmt.Fprintf(stderr, "reelvault %s: %v\n", m.Name, err)
		return 1
	}
	if m.Name == "backup" {
		return m.backup(ctx, db, arch, stdout, stderr)
	}
	return m.verify(ctx, arch, stdout, stderr)
}

func (m Maintenance) verify(ctx context.Context, arch *archive.Service, stdout, stderr io.Writer) int {
	var masters []fixity.Master
	record := arch.RecordFixity // findings show in the app, and fire its event
	current := arch.FixityMaster
	if m.Manifest != "" {
		man, err := fixity.ReadManifest(m.Manifest)
		if err != nil {
			fmt.Fprintf(stderr, "reelvault verify: %v\n", err)
			return 1
		}
		masters = man.MastersIn(m.DataDir)
		record, current = nil, nil // the manifest may describe another database's assets
	} else {
		var err error
		if masters, err = arch.FixityMasters(ctx); err != nil {
			fmt.Fprintf(stderr, "reelvault verify: %v\n", err)
			return 1
		}
	}
	var recordErr error
	damaged, err := fixity.CheckAllCurrent(ctx, masters, fixity.Throttle{}, current, func(r fixity.Result) {
		if r.Damaged() {
			fmt.Fprintf(stdout, "DAMAGED  %s  %s: %s\n", r.AssetID, r.Path, r.Problem)
		}
		if record != nil && recordErr == nil {
			recordErr = record(ctx, r)
		}
	})
	if err == nil {
		err = recordErr
	}
	if err != nil {
		fmt.Fprintf(stderr, "reelvault verify: %v\n", err)
		return 1
	}
	if len(damaged) > 0 {
		fmt.Fprintf(stdout, "%d of %d masters are damaged.\n", len(damaged), len(masters))
		return 1
	}
	fmt.Fprintf(stdout, "All %d masters are intact.\n", len(masters))
	return 0
}

func (m Maintenance) backup(ctx context.Context, db *store.DB, arch *archive.Service, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "reelvault backup: %v\n", err)
		return 1
	}
	dir, err := filepath.Abs(m.Dir)
	if err != nil {
		return fail(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fail(err)
	}
	now := time.Now().UTC()
	stamp := now.Format("20060102T150405Z")
	dbName := "reelvault-" + stamp + ".db"
	if err := db.Backup(ctx, filepath.Join(dir, dbName)); err != nil {
		return fail(err)
	}
	masters, err := arch.FixityMasters(ctx)
	if err != nil {
		return fail(err)
	}
	man, err := fixity.NewManifest(m.DataDir, dbName, masters, now)
	if err != nil {
		return fail(err)
	}
	manPath := filepath.Join(dir, "reelvault-"+stamp+".manifest.json")
	if err := partfile.WriteJSON(manPath, man); err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "Database snapshot: %s\nManifest of %d masters: %s\n", filepath.Join(dir, dbName), len(masters), manPath)
	fmt.Fprintf(stdout, "Copy the masters folder (%s) with your backup tool; `reelvault verify --manifest %s --data <restored folder>` checks them.\n",
		filepath.Join(m.DataDir, "masters"), manPath)
	return 0
}
