package containerlog

import "strings"

// Pod is what a kubelet's log path tells about its container.
type Pod struct {
	Namespace, Name, UID, Container string
}

// PodOf reads /var/log/pods/<namespace>_<pod>_<uid>/<container>/<n>.log
// (any prefix before pods/), the layout the kubelet writes; ok is false
// for any other path. Namespace and pod names have no '_' (DNS labels), so
// the directory splits unambiguously.
func PodOf(path string) (Pod, bool) {
	parts := strings.Split(path, "/")
	if len(parts) < 4 {
		return Pod{}, false
	}
	n := len(parts)
	file, container, dir, pods := parts[n-1], parts[n-2], parts[n-3], parts[n-4]
	if pods != "pods" || !strings.HasSuffix(file, ".log") || container == "" {
		return Pod{}, false
	}
	f := strings.SplitN(dir, "_", 3)
	if len(f) != 3 || f[0] == "" || f[1] == "" || f[2] == "" {
		return Pod{}, false
	}
	return Pod{Namespace: f[0], Name: f[1], UID: f[2], Container: container}, true
}
