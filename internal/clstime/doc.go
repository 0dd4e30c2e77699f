// Package clstime owns reading an event's time from what Tencent Cloud's
// log service (CLS) hands on: the __TIMESTAMP__ meta field of a JSON record
// (EventTime) and a Unix time written as digits in seconds, milliseconds,
// microseconds or nanoseconds (Epoch). source/kafka and source/cloudbase
// use it; it imports nothing of ours.
//
// It is its own small package so that its fuzz target is built without the
// Kafka client: a fuzz build instruments every package it links.
package clstime
