package repl

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/peterh/liner"
)

// HistoryPath is where the REPL keeps its history: $XDG_STATE_HOME/
// wirelark/history, else ~/.local/state/wirelark/history, as the XDG base
// directory specification places state.
func HistoryPath() (string, error) {
	if dir := os.Getenv("XDG_STATE_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "wirelark", "history"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	if home == "" {
		return "", errors.New("no home directory")
	}
	return filepath.Join(home, ".local", "state", "wirelark", "history"), nil
}

// loadHistory reads the history file into the line editor; a missing
// file is an empty history.
func loadHistory(l *liner.State, path string) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	defer f.Close()
	_, err = l.ReadHistory(f)
	return err
}

// saveHistory writes the history, readable by the user only (commands
// may name hosts and files).
func saveHistory(l *liner.State, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := l.WriteHistory(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
