package gen

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestKubernetesSidecar(t *testing.T) {
	docs := yamlDocs(t, "configs/kubernetes/sidecar.yaml")
	byKind := map[string]map[string]any{}
	for _, d := range docs {
		kind := str(d["kind"])
		if str(d["apiVersion"]) == "" || str(dig(d, "metadata", "name")) == "" {
			t.Errorf("%s: no apiVersion or metadata.name", kind)
		}
		byKind[kind] = d
	}
	for _, k := range []string{"ConfigMap", "Deployment", "Service"} {
		if byKind[k] == nil {
			t.Fatalf("no %s in sidecar.yaml", k)
		}
	}
	dep, svc, cm := byKind["Deployment"], byKind["Service"], byKind["ConfigMap"]
	pod := dig(dep, "spec", "template", "spec")
	volumes := map[string]map[string]any{}
	for _, v := range list(dig(pod, "volumes")) {
		vm := v.(map[string]any)
		volumes[str(vm["name"])] = vm
	}
	containers := map[string]map[string]any{}
	for _, c := range list(dig(pod, "containers")) {
		cm := c.(map[string]any)
		containers[str(cm["name"])] = cm
	}
	wd := containers["wedadiag"]
	if wd == nil || len(containers) < 2 {
		t.Fatalf("containers %v: want the app and wedadiag", reflect.ValueOf(containers).MapKeys())
	}
	mounts := func(c map[string]any) map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, m := range list(c["volumeMounts"]) {
			mm := m.(map[string]any)
			out[str(mm["name"])] = mm
		}
		return out
	}
	// A shared emptyDir log volume, read-only for wedadiag.
	wdMounts := mounts(wd)
	var logDir string
	for name, m := range wdMounts {
		if volumes[name]["emptyDir"] == nil {
			continue
		}
		for cname, c := range containers {
			if cname != "wedadiag" && mounts(c)[name] != nil {
				logDir = str(m["mountPath"])
				if m["readOnly"] != true {
					t.Errorf("wedadiag mounts the log volume %s read-write", name)
				}
			}
		}
	}
	if logDir == "" {
		t.Fatal("wedadiag shares no emptyDir volume with the app")
	}
	// Positions on a volume, where the config says.
	cfg := loadConfig(t, "configmap.yaml", str(dig(cm, "data", "wedadiag.yaml")))
	var stateMounted bool
	for name, m := range wdMounts {
		if str(m["mountPath"]) == cfg.StateDir && volumes[name] != nil && m["readOnly"] != true {
			stateMounted = true
		}
	}
	if !stateMounted {
		t.Errorf("state_dir %s is not a writable volume of the wedadiag container", cfg.StateDir)
	}
	for _, s := range cfg.Sources {
		for _, p := range s.Paths {
			if !strings.HasPrefix(p, logDir+"/") {
				t.Errorf("source %s path %s is outside the shared log volume %s", s.Name, p, logDir)
			}
		}
	}
	// The config file the container reads is the ConfigMap's.
	argv := strings.Join(toStrings(list(wd["args"])), " ")
	var cfgMount string
	for name, m := range wdMounts {
		if str(dig(volumes[name], "configMap", "name")) == str(dig(cm, "metadata", "name")) {
			cfgMount = str(m["mountPath"])
		}
	}
	if cfgMount == "" || !strings.Contains(argv, "--config "+cfgMount+"/wedadiag.yaml") {
		t.Errorf("args %q do not read the ConfigMap mounted at %q", argv, cfgMount)
	}
	// Port, probes, resources.
	port := dig(wd, "ports", 0)
	portName := str(dig(port, "name"))
	if dig(port, "containerPort") != 9894 || portName == "" || len(portName) > 15 {
		t.Errorf("wedadiag port %v: want 9894 with a name of up to 15 characters", port)
	}
	for probe, path := range map[string]string{"readinessProbe": "/readyz", "livenessProbe": "/healthz"} {
		if str(dig(wd, probe, "httpGet", "path")) != path || dig(wd, probe, "httpGet", "port") != portName {
			t.Errorf("%s: %v, want GET %s on port %s", probe, wd[probe], path, portName)
		}
	}
	if dig(wd, "resources", "requests", "cpu") == nil || dig(wd, "resources", "requests", "memory") == nil {
		t.Error("wedadiag has no resource requests")
	}
	if dig(wd, "securityContext", "runAsNonRoot") != true || dig(wd, "securityContext", "readOnlyRootFilesystem") != true {
		t.Error("wedadiag should run as non-root on a read-only root file system")
	}
	// The Service exposes the named port to the pods.
	sel := dig(svc, "spec", "selector").(map[string]any)
	labels := dig(dep, "spec", "template", "metadata", "labels").(map[string]any)
	for k, v := range sel {
		if labels[k] != v {
			t.Errorf("Service selector %s=%v does not match the pods", k, v)
		}
	}
	if str(dig(svc, "spec", "ports", 0, "name")) != portName || str(dig(svc, "spec", "ports", 0, "targetPort")) != portName {
		t.Errorf("Service port %v: want name and targetPort %s", dig(svc, "spec", "ports", 0), portName)
	}

	sm := yamlDocs(t, "configs/kubernetes/servicemonitor.yaml")
	if len(sm) != 1 || str(sm[0]["kind"]) != "ServiceMonitor" {
		t.Fatalf("servicemonitor.yaml: %v", sm)
	}
	if str(dig(sm[0], "spec", "endpoints", 0, "port")) != portName {
		t.Errorf("ServiceMonitor scrapes port %v, not %s", dig(sm[0], "spec", "endpoints", 0, "port"), portName)
	}
	svcLabels := dig(svc, "metadata", "labels").(map[string]any)
	for k, v := range dig(sm[0], "spec", "selector", "matchLabels").(map[string]any) {
		if svcLabels[k] != v {
			t.Errorf("ServiceMonitor selects %s=%v, which the Service lacks", k, v)
		}
	}
}

// TestKubernetesDaemonSet: the node-wide manifest follows /var/log/pods
// read-only from the host in a container framing, keeps positions on the
// node, and needs no API access (no token, so no RBAC).
func TestKubernetesDaemonSet(t *testing.T) {
	docs := yamlDocs(t, "configs/kubernetes/daemonset.yaml")
	byKind := map[string]map[string]any{}
	for _, d := range docs {
		kind := str(d["kind"])
		if str(d["apiVersion"]) == "" || str(dig(d, "metadata", "name")) == "" {
			t.Errorf("%s: no apiVersion or metadata.name", kind)
		}
		byKind[kind] = d
	}
	for _, k := range []string{"ConfigMap", "DaemonSet", "Service"} {
		if byKind[k] == nil {
			t.Fatalf("no %s in daemonset.yaml", k)
		}
	}
	for _, k := range []string{"ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"} {
		if byKind[k] != nil {
			t.Errorf("daemonset.yaml has a %s: the path-metadata approach needs no API access", k)
		}
	}
	ds, svc, cm := byKind["DaemonSet"], byKind["Service"], byKind["ConfigMap"]
	pod := dig(ds, "spec", "template", "spec")
	if dig(pod, "automountServiceAccountToken") != false {
		t.Error("the pod mounts a service account token it does not need")
	}
	volumes := map[string]map[string]any{}
	for _, v := range list(dig(pod, "volumes")) {
		vm := v.(map[string]any)
		volumes[str(vm["name"])] = vm
	}
	cs := list(dig(pod, "containers"))
	if len(cs) != 1 {
		t.Fatalf("%d containers, want wedadiag alone", len(cs))
	}
	wd := cs[0].(map[string]any)
	mounts := map[string]map[string]any{}
	for _, m := range list(wd["volumeMounts"]) {
		mm := m.(map[string]any)
		mounts[str(mm["name"])] = mm
	}
	cfg := loadConfig(t, "configmap.yaml", str(dig(cm, "data", "wedadiag.yaml")))
	// Every source reads container logs from a read-only hostPath mount of
	// /var/log/pods, in a container framing.
	var podLogs string
	for name, m := range mounts {
		if str(dig(volumes[name], "hostPath", "path")) == "/var/log/pods" {
			podLogs = str(m["mountPath"])
			if m["readOnly"] != true {
				t.Errorf("/var/log/pods is mounted read-write")
			}
		}
	}
	if podLogs == "" {
		t.Fatal("no hostPath mount of /var/log/pods")
	}
	if len(cfg.Sources) == 0 {
		t.Fatal("no sources")
	}
	for _, s := range cfg.Sources {
		if s.Format != "cri" && s.Format != "docker" && s.Format != "auto" {
			t.Errorf("source %s: format %s, want cri, docker or auto", s.Name, s.Format)
		}
		for _, p := range s.Paths {
			if !strings.HasPrefix(p, podLogs+"/") {
				t.Errorf("source %s path %s is outside %s", s.Name, p, podLogs)
			}
		}
	}
	// Positions on the node, writable.
	var stateOnNode bool
	for name, m := range mounts {
		if str(m["mountPath"]) == cfg.StateDir && dig(volumes[name], "hostPath") != nil && m["readOnly"] != true {
			stateOnNode = true
		}
	}
	if !stateOnNode {
		t.Errorf("state_dir %s is not a writable hostPath volume", cfg.StateDir)
	}
	argv := strings.Join(toStrings(list(wd["args"])), " ")
	var cfgMount string
	for name, m := range mounts {
		if str(dig(volumes[name], "configMap", "name")) == str(dig(cm, "metadata", "name")) {
			cfgMount = str(m["mountPath"])
		}
	}
	if cfgMount == "" || !strings.Contains(argv, "--config "+cfgMount+"/wedadiag.yaml") {
		t.Errorf("args %q do not read the ConfigMap mounted at %q", argv, cfgMount)
	}
	port := dig(wd, "ports", 0)
	portName := str(dig(port, "name"))
	if dig(port, "containerPort") != 9894 || portName == "" {
		t.Errorf("wedadiag port %v: want 9894, named", port)
	}
	for probe, path := range map[string]string{"readinessProbe": "/readyz", "livenessProbe": "/healthz"} {
		if str(dig(wd, probe, "httpGet", "path")) != path || dig(wd, probe, "httpGet", "port") != portName {
			t.Errorf("%s: %v, want GET %s on port %s", probe, wd[probe], path, portName)
		}
	}
	if dig(wd, "resources", "requests", "cpu") == nil || dig(wd, "resources", "limits", "memory") == nil {
		t.Error("wedadiag has no cpu request or memory limit")
	}
	if dig(wd, "securityContext", "readOnlyRootFilesystem") != true || dig(wd, "securityContext", "allowPrivilegeEscalation") != false ||
		!slices.Contains(toStrings(list(dig(wd, "securityContext", "capabilities", "drop"))), "ALL") {
		t.Error("wedadiag should run on a read-only root file system, without privilege escalation or capabilities")
	}
	sel := dig(svc, "spec", "selector").(map[string]any)
	labels := dig(ds, "spec", "template", "metadata", "labels").(map[string]any)
	for k, v := range sel {
		if labels[k] != v {
			t.Errorf("Service selector %s=%v does not match the pods", k, v)
		}
	}
	if str(dig(svc, "spec", "ports", 0, "targetPort")) != portName {
		t.Errorf("Service port %v: want targetPort %s", dig(svc, "spec", "ports", 0), portName)
	}
}
