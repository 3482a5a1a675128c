// Command hes-mongod runs an embedded FerretDB (SQLite backend) that speaks
// the MongoDB wire protocol. It is a local/dev/test stand-in for MongoDB used
// by HES Core; it is not meant for production.
//
// It embeds FerretDB through its github.com/FerretDB/FerretDB/ferretdb
// package (an ordinary go.mod dependency), stores data in SQLite files under
// -data-dir, listens on -listen (TCP, loopback by default) without
// authentication, never persists a state file, never reports telemetry and
// starts no debug/metrics listener.
//
// Once the TCP socket is bound it prints exactly one line to stdout:
//
//	hes-mongod ready on 127.0.0.1:27017 data=/abs/path
//
// SIGINT/SIGTERM shut it down cleanly (exit code 0). A second signal during
// shutdown forces an immediate exit with code 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

const (
	defaultListen  = "127.0.0.1:27017"
	defaultDataDir = "./.data/db"
)

// envOr returns the value of the environment variable key, or def if it is unset or empty.
func envOr(key, def string) string {
	if v := strings.TrimSpace(os.Getenv(key)); v != "" {
		return v
	}

	return def
}

// parseLevel converts a textual log level into slog.Level.
func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	default:
		return 0, fmt.Errorf("unknown log level %q (want debug, info, warn or error)", s)
	}
}

// sqliteURL returns a `file:/abs/dir/` URL for the given absolute directory,
// as expected by FerretDB's SQLite backend (trailing slash is mandatory).
func sqliteURL(absDir string) string {
	p := filepath.ToSlash(absDir)
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}

	// synchronous(normal): a development database may lose its last commits on power loss, and
	// updates cost about half as much (bench/README.md).
	u := &url.URL{Scheme: "file", Path: p, OmitHost: true, RawQuery: "_pragma=synchronous(normal)"}

	return u.String()
}

func run() error {
	fs := flag.NewFlagSet("hes-mongod", flag.ContinueOnError)
	listen := fs.String("listen", envOr("HES_DB_LISTEN", defaultListen),
		"TCP address to listen on (env HES_DB_LISTEN); port 0 picks a free port")
	dataDir := fs.String("data-dir", envOr("HES_DB_DATA_DIR", defaultDataDir),
		"directory for the SQLite database files, created if missing (env HES_DB_DATA_DIR)")
	logLevel := fs.String("log-level", envOr("HES_DB_LOG_LEVEL", "warn"),
		"log level: debug, info, warn or error (env HES_DB_LOG_LEVEL); logs go to stderr")

	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}

		return err
	}

	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	level, err := parseLevel(*logLevel)
	if err != nil {
		return err
	}

	if _, _, err = net.SplitHostPort(*listen); err != nil {
		return fmt.Errorf("invalid -listen %q: %w", *listen, err)
	}

	absDir, err := filepath.Abs(*dataDir)
	if err != nil {
		return fmt.Errorf("resolving -data-dir %q: %w", *dataDir, err)
	}

	if err = os.MkdirAll(absDir, 0o755); err != nil {
		return fmt.Errorf("creating data dir: %w", err)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	// Embedded FerretDB never writes a state file, never starts the telemetry
	// reporter (it is disabled and locked explicitly by ferretdb.New) and has
	// no debug/metrics HTTP listener. Authentication is not enforced.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{
			TCP: *listen,
		},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL(absDir),
	})
	if err != nil {
		return fmt.Errorf("starting FerretDB: %w", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)

	go func() {
		sig := <-sigs
		logger.Warn("shutting down", slog.String("signal", sig.String()))
		cancel()

		sig = <-sigs
		fmt.Fprintf(os.Stderr, "hes-mongod: second signal (%s), exiting immediately\n", sig)
		os.Exit(1)
	}()

	// The TCP socket is already bound by ferretdb.New, so clients that
	// connect now are queued and served as soon as Run starts accepting.
	addr := strings.TrimSuffix(strings.TrimPrefix(f.MongoDBURI(), "mongodb://"), "/")
	fmt.Fprintf(os.Stdout, "hes-mongod ready on %s data=%s\n", addr, absDir)
	_ = os.Stdout.Sync()

	if err = f.Run(ctx); err != nil {
		return fmt.Errorf("running FerretDB: %w", err)
	}

	return nil
}

func main() {
	// Reading a document allocates a lot of small objects; collecting garbage at 4x the live heap
	// instead of 2x takes reads of large documents from ~180 to ~120 ms per 500 (bench/README.md).
	// The heap of a development database stays small. GOGC in the environment still decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}

	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "hes-mongod: %v\n", err)
		os.Exit(1)
	}
}
