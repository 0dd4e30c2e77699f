package gen

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestCompose(t *testing.T) {
	docs := yamlDocs(t, "docker-compose.yml")
	if len(docs) != 1 {
		t.Fatalf("%d documents", len(docs))
	}
	services, _ := docs[0]["services"].(map[string]any)
	for _, name := range []string{"logwriter", "wedadiag", "prometheus", "alertmanager", "grafana"} {
		if services[name] == nil {
			t.Errorf("no service %s", name)
		}
	}
	named, _ := docs[0]["volumes"].(map[string]any)
	binds := map[string]string{} // target → source, every service
	for sname, s := range services {
		for _, v := range list(dig(s, "volumes")) {
			src, rest, _ := strings.Cut(str(v), ":")
			target, _, _ := strings.Cut(rest, ":")
			if strings.HasPrefix(src, "./") {
				if _, err := os.Stat(repoPath(src)); err != nil {
					t.Errorf("service %s mounts %s: %v", sname, src, err)
				}
				binds[target] = src
			} else if _, ok := named[src]; !ok {
				t.Errorf("service %s mounts volume %q, which is not declared", sname, src)
			}
		}
	}
	for target, src := range map[string]string{
		DashboardDir + "/wedadiag.json": "./configs/" + DashboardPath,
		"/etc/grafana/provisioning":     "./configs/grafana/provisioning",
		"/etc/prometheus":               "./configs/prometheus",
	} {
		if binds[target] != src {
			t.Errorf("%s is mounted from %q, want %s", target, binds[target], src)
		}
	}
	if str(dig(services["wedadiag"], "build", "context")) != "." {
		t.Error("wedadiag is not built from the repository's Dockerfile")
	}
	cfgFile := binds["/etc/wedadiag/wedadiag.yaml"]
	if cfgFile == "" {
		t.Fatal("the wedadiag service mounts no /etc/wedadiag/wedadiag.yaml")
	}
	cfg := loadConfig(t, "compose.yaml", string(readRepo(t, cfgFile)))
	if len(cfg.Sources) == 0 || len(cfg.Alerts.Receivers) == 0 {
		t.Errorf("the demo config follows %d sources and alerts %d receivers", len(cfg.Sources), len(cfg.Alerts.Receivers))
	}
	// The compose file's own schema, when a compose tool is here.
	if dc, err := exec.LookPath("docker-compose"); err == nil {
		if out, errOut, err := runTool(t, root, dc, "-f", "docker-compose.yml", "config", "-q"); err != nil {
			t.Errorf("docker-compose config: %v\n%s%s", err, out, errOut)
		}
	} else {
		t.Log("docker-compose not found (apt-get install docker-compose): compose schema not checked")
	}
}

func TestAlertmanagerConfig(t *testing.T) {
	amtool := tool(t, "amtool", "prometheus-alertmanager")
	if out, errOut, err := runTool(t, root, amtool, "check-config", "configs/compose/alertmanager.yml"); err != nil {
		t.Errorf("amtool check-config: %v\n%s%s", err, out, errOut)
	}
}
