package parse

// isTCAPI is the shape of a Tencent Cloud API 3.0 response that failed:
// {"Response":{"Error":{"Code","Message"},"RequestId"}}. Its code, message
// and request id are read through keyKinds (Response.Error.Code,
// Response.RequestId).
func isTCAPI(_ *table, codeKey string) bool { return codeKey == "Response.Error.Code" }
