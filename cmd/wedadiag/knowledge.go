package main

import (
	"github.com/wedadiag/wedadiag/catalog"
	"github.com/wedadiag/wedadiag/diagnose"
)

// loadKnowledge compiles the built-in rules with the rule files paths name
// and returns the catalog with their custom entries added (entries:), and
// the rules. Faults are a usage error: the files given are wrong.
func loadKnowledge(paths []string) (*diagnose.Knowledge, error) {
	base, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	k, err := diagnose.Load(base, paths)
	if err != nil {
		return nil, usageError{err}
	}
	return k, nil
}

// loadCatalog is the catalog that rule files paths extend: the built-in
// one when there are none.
func loadCatalog(paths []string) (*catalog.Catalog, error) {
	if len(paths) == 0 {
		return catalog.Default()
	}
	k, err := loadKnowledge(paths)
	if err != nil {
		return nil, err
	}
	return k.Catalog, nil
}
