package fsutil

import (
	"errors"
	"os"
	"path/filepath"
)

// WriteAtomic replaces path with data, created with perm: a temporary file
// in the same directory (".NAME.*", so globs of NAME do not see it) is
// written, synced and renamed over path, then the directory is synced. On
// error the temporary file is removed and path is as it was. The directory
// must exist.
func WriteAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	err = errors.Join(err, f.Close())
	if err == nil {
		err = os.Chmod(tmp, perm)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
