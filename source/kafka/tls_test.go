package kafka

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

// tls: true dials the brokers with TLS (and SASL PLAIN inside it).
func TestTLS(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.EnableSASL(), kfake.Superuser("PLAIN", testUser, testPass),
		kfake.SeedTopics(1, testTopic), kfake.GroupMinSessionTimeout(100*time.Millisecond),
		kfake.TLS(&tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)

	// Write through TLS too.
	pr, err := kgo.NewClient(append(clientOpts(c), kgo.DialTLSConfig(&tls.Config{RootCAs: roots}))...)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	ctx := t.Context()
	for seq := range 10 {
		if err := pr.ProduceSync(ctx, &kgo.Record{Topic: testTopic, Value: message(seq)}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}

	cfg := testConfig(c)
	cfg.TLS = true
	cons := startConsumer(t, cfg, nil, true, func(s *Source) { s.roots = roots })
	if got := seqs(t, cons.take(10)); len(got) != 10 {
		t.Errorf("got %d distinct records over TLS, want 10", len(got))
	}
	cons.stop()

	// Without TLS the broker does not answer: nothing is read, errors are
	// counted.
	cfg.TLS = false
	cfg.Group = "plain"
	plain := startConsumer(t, cfg, nil, true, nil)
	deadline := time.After(waitFor)
	for {
		ch := plain.s.wakeCh()
		if plain.s.Status().LastError != "" {
			break
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatal("no error without TLS")
		}
	}
	if len(plain.all()) != 0 {
		t.Error("records read without TLS")
	}
}
