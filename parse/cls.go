package parse

// Records as Tencent Cloud's log service (CLS) stores them, read from the
// CloudBase API (SearchClsLog) or CLS's Kafka consumption:
//
//   - a cloud function's record: SCF_FunctionName, SCF_RequestId,
//     SCF_Level, SCF_Message, SCF_StatusCode, SCF_Duration (ms),
//     SCF_MemUsage (bytes), SCF_Type (Platform or Custom), SCF_LogTime (ms);
//   - CloudBase's log fields, snake_case: function_name, request_id,
//     status_code, ret_code, ret_msg, module, src…;
//   - Kafka consumption's meta fields: __TIMESTAMP__ (ms), __SOURCE__,
//     __FILENAME__, __HOSTNAME__, __PKGID__; __CONTENT__ holds a raw
//     line's text. With JsonType 2 a nested object arrives as a string
//     (read again as the message, fields.go); with 1 it is flattened.
//
// The keys are in keyKinds (SCF_StatusCode is a status, SCF_Message,
// ret_msg and __CONTENT__ messages, __TIMESTAMP__ a time); the shapes
// below name the format. Every field stays in Event.Fields for rules and
// for the cloud-function health metrics.

// isCLSFunction is a cloud function's record in CLS.
func isCLSFunction(f *table, _ string) bool {
	return hasKey(f, "SCF_FunctionName") || hasKey(f, "SCF_RequestId") || hasKey(f, "SCF_StatusCode")
}

// isCLSTCB is a record of CloudBase's log view: a function's (function_name)
// or a platform module's (module: database, model, auth, app…).
func isCLSTCB(f *table, _ string) bool {
	return hasKey(f, "function_name") || hasKey(f, "module") && (hasKey(f, "request_id") || hasKey(f, "requestId"))
}
