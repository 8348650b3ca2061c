package main

import (
	"bytes"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"reelvault/bench/kit"
)

type streamView struct {
	Data struct {
		ID            string `json:"id"`
		StreamKey     string `json:"stream_key"`
		ActiveAssetID string `json:"active_asset_id"`
		Connected     bool   `json:"connected"`
	} `json:"data"`
}

// waitRecording polls until the stream records and returns its asset id.
func waitRecording(s *kit.Server, id string) string {
	deadline := time.Now().Add(30 * time.Second)
	for {
		var st streamView
		s.Call("GET", "/video/v1/live-streams/"+id, nil, &st)
		if st.Data.ActiveAssetID != "" {
			return st.Data.ActiveAssetID
		}
		if time.Now().After(deadline) {
			log.Fatal("the stream did not start recording in 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cpuTime is the user+system CPU a process has used so far (/proc/PID/stat).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	kit.Must(err)
	// Fields after the command name, which is in parentheses and may hold spaces.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	// utime and stime are fields 14 and 15 of the whole line: 12 and 13 here.
	const ticksPerSecond = 100 // USER_HZ on Linux
	return time.Duration(atoi(f[11])+atoi(f[12])) * time.Second / ticksPerSecond
}

func atoi(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		log.Fatalf("not a number: %q", s)
	}
	return n
}
