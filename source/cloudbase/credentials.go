package cloudbase

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
)

// ErrNoCredentials is returned by New when no key is configured anywhere.
var ErrNoCredentials = errors.New("no credentials: set secret_id and secret_key, credentials_file, " +
	"or TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY")

// credential finds the API key: the config's own, its credentials_file, then
// the SDK's environment and profile-file providers. Errors never carry a
// secret, only where it was looked for.
func (c Config) credential() (*common.Credential, error) {
	if c.SecretID != "" {
		return common.NewCredential(string(c.SecretID), string(c.SecretKey)), nil
	}
	if c.CredentialsFile != "" {
		return readCredentialsFile(c.CredentialsFile)
	}
	chain := common.NewProviderChain([]common.Provider{common.DefaultEnvProvider(), common.DefaultProfileProvider()})
	cred, err := chain.GetCredential()
	if err != nil {
		return nil, ErrNoCredentials
	}
	id, key, token := cred.GetCredential()
	if id == "" || key == "" {
		return nil, ErrNoCredentials
	}
	out := common.NewCredential(id, key)
	out.Token = token
	return out, nil
}

// readCredentialsFile reads secret_id and secret_key from the [default]
// section of an INI file.
func readCredentialsFile(path string) (*common.Credential, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("credentials_file: %w", err)
	}
	section := ""
	var id, key string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		switch {
		case text == "" || text[0] == '#' || text[0] == ';':
		case text[0] == '[':
			if !strings.HasSuffix(text, "]") {
				return nil, fmt.Errorf("credentials_file %s:%d: unclosed section header", path, line)
			}
			section = strings.TrimSpace(text[1 : len(text)-1])
		default:
			k, v, ok := strings.Cut(text, "=")
			if !ok {
				return nil, fmt.Errorf("credentials_file %s:%d: want key = value", path, line)
			}
			if section != "default" {
				continue
			}
			switch strings.TrimSpace(k) {
			case "secret_id":
				id = strings.TrimSpace(v)
			case "secret_key":
				key = strings.TrimSpace(v)
			}
		}
	}
	if id == "" || key == "" {
		return nil, fmt.Errorf("credentials_file %s: no secret_id and secret_key in [default]", path)
	}
	return common.NewCredential(id, key), nil
}
