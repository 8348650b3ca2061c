package kit

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// IOCount is what /proc/PID/io counts for a process (its reaped children
// included) and the CPU time it used: steadier figures than wall time on a
// shared machine. RChar/WChar are the bytes passed to read/write-like calls
// (sockets and the page cache included); ReadBytes/WriteBytes what reached
// the disk layer.
type IOCount struct {
	RChar, WChar, ReadBytes, WriteBytes int64
	CPU                                 time.Duration
}

// Sub is a - b.
func (a IOCount) Sub(b IOCount) IOCount {
	return IOCount{a.RChar - b.RChar, a.WChar - b.WChar, a.ReadBytes - b.ReadBytes, a.WriteBytes - b.WriteBytes, a.CPU - b.CPU}
}

// String shows the count in MB and milliseconds.
func (a IOCount) String() string {
	return fmt.Sprintf("cpu %v, read %.0f MB, written %.0f MB (to disk %.0f MB)",
		a.CPU.Round(time.Millisecond), MB(a.RChar), MB(a.WChar), MB(a.WriteBytes))
}

// ReadIO is pid's I/O and CPU so far, its reaped children's included.
func ReadIO(pid int) IOCount {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/io")
	Must(err)
	var c IOCount
	for _, line := range strings.Split(string(data), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		n, _ := strconv.ParseInt(v, 10, 64)
		switch k {
		case "rchar":
			c.RChar = n
		case "wchar":
			c.WChar = n
		case "read_bytes":
			c.ReadBytes = n
		case "write_bytes":
			c.WriteBytes = n
		}
	}
	c.CPU = cpuTime(pid)
	return c
}

// cpuTime is the user+system CPU of pid and its reaped children (/proc/PID/stat).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	Must(err)
	// Fields after the command name, which is in parentheses and may hold spaces:
	// utime, stime, cutime, cstime are fields 14-17 of the whole line, 12-15 here.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	var ticks int64
	for _, s := range f[11:15] {
		n, err := strconv.ParseInt(s, 10, 64)
		Must(err)
		ticks += n
	}
	const ticksPerSecond = 100 // USER_HZ on Linux
	return time.Duration(ticks) * time.Second / ticksPerSecond
}

// RunCounted runs name args to the end within timeout and returns its I/O and
// CPU, read from /proc while it is a zombie (waitid with WNOWAIT), before it
// is reaped.
func RunCounted(timeout time.Duration, name string, args ...string) IOCount {
	p := Command(timeout, name, args...).Start()
	var info unix.Siginfo
	Must(unix.Waitid(unix.P_PID, p.Cmd.Process.Pid, &info, unix.WEXITED|unix.WNOWAIT, nil))
	c := ReadIO(p.Cmd.Process.Pid)
	Must(p.Wait())
	c.CPU = p.Cmd.ProcessState.UserTime() + p.Cmd.ProcessState.SystemTime()
	return c
}

// SelfCPU is this process's CPU time so far.
func SelfCPU() time.Duration {
	var ru unix.Rusage
	Must(unix.Getrusage(unix.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
