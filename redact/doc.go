// Package redact owns the one place where log text becomes a sample that
// wedadiag may store, serve or send: it cuts the text to a size limit on a
// rune boundary and masks the secrets and personal data in it (Tencent Cloud
// SecretId/SecretKey, bearer and basic credentials, password/token/secret
// values in key=value, JSON and header form, URL query credentials such as a
// WeCom robot's key, cookies, JWTs, private keys, Chinese mobile and 身份证
// numbers, email addresses), plus patterns the operator configures.
//
// It takes raw record text and hands on a short, safe string. Diagnosis runs
// on the unredacted text; only samples pass through here. Of ours it imports
// internal/textutil (the one rune-safe Cut).
package redact
