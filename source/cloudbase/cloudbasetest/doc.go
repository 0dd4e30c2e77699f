// Package cloudbasetest is a local fake of tcb:SearchClsLog for tests: an
// http.Handler that checks each request's TC3-HMAC-SHA256 signature (with
// its own verifier, written from the published algorithm), serves its logs
// in time order with Context paging and the 10,000-result cursor cap, and
// throttles, fails with 502 or drops connections on a schedule.
//
// Package cloudbase's tests and the daemon's end-to-end tests use it. It
// imports nothing of ours.
package cloudbasetest
