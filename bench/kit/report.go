package kit

import "fmt"

// Report prints a benchmark's lines as they come and repeats the headline
// ones (those starting with '*') at the end, where they are compared across runs.
type Report struct {
	lines []string
}

// Say prints one line and keeps it for the summary.
func (r *Report) Say(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	fmt.Println(line)
	r.lines = append(r.lines, line)
}

// Summary prints the headline lines said so far.
func (r *Report) Summary() {
	fmt.Println("\n== summary ==")
	for _, l := range r.lines {
		if len(l) > 0 && l[0] == '*' {
			fmt.Println(l)
		}
	}
}
