// Package benchcorpus writes the deterministic benchmark corpora of
// scripts/bench and of the packages' `go test -bench` benchmarks, and knows
// their truth: how many records of each catalog entry a correct scan finds.
//
// A corpus has a shape and an error density. Shape "mixed" is the original
// bench corpus (cloud-function, JSON, plain-text and access lines whose
// benign lines carry what trips naive matchers); shape "success" is
// ordinary production traffic: success responses that print code=0,
// errCode: 0 and HTTP 200, numbers everywhere (sizes and ids that contain
// the digits of numeric codes), and JSON logs with many keys. The error
// lines of both shapes carry about 40 catalog codes in the forms real logs
// print them. The same options always give the same bytes.
//
// It takes the catalog (to choose the codes and to know their entries) and
// hands on bytes and a Truth. It may import catalog only.
package benchcorpus
