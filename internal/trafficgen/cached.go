package trafficgen

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

var cache struct {
	sync.Mutex
	paths map[string]string
}

// Cached returns the path of a capture of n packets from seed in the
// temporary directory, generating it on first use; later runs, and the
// benchmarks of every package, find it there. The name carries Version, so
// a changed generator makes a new file. It is written under a temporary
// name and renamed, so a concurrent or interrupted run never leaves a
// partial file under the final name. The file is read once, so that a
// first timed pass finds it in the page cache like the others.
func Cached(n int, seed int64) (string, error) {
	cache.Lock()
	defer cache.Unlock()
	name := filepath.Join(os.TempDir(), fmt.Sprintf("wirelark-bench-v%d-%d-%d.pcap", Version, n, seed))
	if p := cache.paths[name]; p != "" {
		return p, nil
	}
	if _, err := os.Stat(name); err != nil {
		f, err := os.CreateTemp(os.TempDir(), "wirelark-bench-*.tmp")
		if err != nil {
			return "", err
		}
		defer os.Remove(f.Name())
		_, err = Write(f, Options{Packets: n, Seed: seed})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(f.Name(), name)
		}
		if err != nil {
			return "", err
		}
	}
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(io.Discard, f)
	f.Close()
	if err != nil {
		return "", err
	}
	if cache.paths == nil {
		cache.paths = map[string]string{}
	}
	cache.paths[name] = name
	return name, nil
}
