// Package kafka owns consuming log records from Kafka as a member of a
// consumer group: Tencent Cloud CLS's Kafka-protocol consumption (SASL
// PLAIN, user = logset id, password = SecretId#SecretKey) or any Kafka
// cluster (optional TLS). Several instances in one group share the
// partitions; the group moves them when one joins, leaves or dies.
//
// It hands record.Record values to the pipeline (Source = configured name,
// Path = "topic/partition", Offset, End = Offset+1, Text = the message
// value as sent, raw line or CLS JSON, Time = __TIMESTAMP__ or the Kafka
// timestamp, Stream = the partition's assignment) and is acknowledged with
// Ack. Per partition it commits only the offset after the acknowledged
// prefix: periodically, before a rebalance gives the partition away, and
// when Run stops. Autocommit is off, so a kill -9 re-reads at most what was
// acknowledged since the last commit and loses nothing. Parsing the text
// is not its job.
//
//	s, err := kafka.New(cfg, log, kafka.NewMetrics(reg))
//	go s.Run(ctx) // until ctx is done: closes Records, waits for acks, commits
//	for rec := range s.Records() { …; s.Ack(rec) }
//
// It uses github.com/twmb/franz-go and imports record, source
// (the shared interface and metrics) and internal/clstime of ours.
package kafka
