package resume

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strconv"
	"time"
)

// pdftotextMemoryKB caps the address space of the pdftotext process, so a
// crafted PDF that makes it balloon fails there instead of pressing on the
// server.
const pdftotextMemoryKB = 1 << 20

// errToolOutputFull stops pdftotext once enough text has been read.
var errToolOutputFull = errors.New("resume: pdftotext output limit reached")

// pdftotext runs poppler's pdftotext on data, fed on standard input, and
// returns at most maxOut bytes of its output. The process ends with ctx.
func pdftotext(ctx context.Context, tool string, data []byte, maxOut int) (string, error) {
	args := []string{"-q", "-enc", "UTF-8", "-eol", "unix", "-nopgbrk", "-", "-"}
	// A shell sets the memory limit and then becomes pdftotext (exec), so
	// cancelling ctx kills pdftotext itself.
	cmd := exec.CommandContext(ctx, "/bin/sh", append([]string{
		"-c", `ulimit -v ` + strconv.Itoa(pdftotextMemoryKB) + ` 2>/dev/null; exec "$0" "$@"`, tool,
	}, args...)...)
	cmd.Env = []string{}
	cmd.Stdin = bytes.NewReader(data)
	out := &cappedBuffer{max: maxOut}
	cmd.Stdout = out
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if out.full {
		return out.b.String(), nil
	}
	if err != nil {
		return "", err
	}
	return out.b.String(), nil
}

// cappedBuffer keeps the first max bytes written and then refuses more,
// which makes the writing process stop.
type cappedBuffer struct {
	b    bytes.Buffer
	max  int
	full bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if room := c.max - c.b.Len(); len(p) > room {
		c.b.Write(p[:room])
		c.full = true
		return room, errToolOutputFull
	}
	return c.b.Write(p)
}
