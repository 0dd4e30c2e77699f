package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// errorLines are single-line error records from configs/examples, one
// catalog entry each; {SEQ} is replaced by the line's marker, {TIME}
// by the time of the write.
var errorLines = []struct{ id, text string }{
	{"datasource/flexdb-resource-overdue", `{"level":"error","time":"{TIME}","msg":"callDataSource failed","dataSource":"orders","method":"wedaCreate","error":{"Response":{"Error":{"Code":"FailedOperation.FlexdbResourceOverdue","Message":"数据库资源到期或者数据库读写次数超过套餐包限制。请升级套餐读写次数，或者等待第二天重置读写次数。如有问题，请在云数据库平台核对资源"},"RequestId":"{SEQ}"}}}`},
	{"apis/ds-not-found", `{TIME} ERROR [datasource] {"code":"OPERATION_FAIL","msg":"[UserError.DsNotFound] 找不到数据源order_item，或该数据源未正确更新","requestId":"{SEQ}"}`},
	{"apis/http-url-not-http", `level=error ts={TIME} component=apis code=FnError.HTTP.InvalidURL msg="方法 queryStock 的请求地址不是 HTTP 地址" requestId={SEQ}`},
	{"apis/http-status-error", `{"level":"error","time":"{TIME}","msg":"[FnError.HTTP.StatusError] HTTP 请求失败，状态码502","method":"syncErp","requestId":"{SEQ}"}`},
	{"workbench/home-user-no-license", `{TIME} ERROR [workbench] request failed code=100,038 FailedOperation.UserNoLicense 用户未授权 uin=100038112233 requestId={SEQ}`},
	{"flow/start-circular-call", `{TIME} ERROR [workflow] 发起流程失败: FailedOperation 存在循环调用，启用流程失败，请检查自定义 API 方法、数据模型事件 flowCode=purchase_apply requestId={SEQ}`},
	{"flow/start-no-approval-flow", `{TIME} ERROR flow-engine startFlow flowCode=leave_apply: FailedOperation: 无可执行的审批流，请先设置流程 requestId={SEQ}`},
	{"flow/approve-task-ended", `{TIME} ERROR flow-engine approveTask taskId=t-9911: FailedOperation 任务已经结束 requestId={SEQ}`},
	{"flow/admin-transfer-resource-in-use", `{TIME} ERROR flow-engine {"Response":{"Error":{"Code":"ResourceInUse","Message":"资源被占用"},"RequestId":"{SEQ}"}}`},
	{"datasource/operation-auth-failure", `{TIME}	5e6f7081-92a3-4b4c-8d5e-6f708192a3b4	ERROR	[TencentCloudSDKException] code:FailedOperation.DataSourceOperationAuthFailure message:数据源操作鉴权失败，请在用户权限模块设置合理权限 requestId:{SEQ}`},
	{"datasource/flexdb-timeout", `{TIME}	c4d5e6f7	ERROR	tencentcloud.common.exception.tencent_cloud_sdk_exception.TencentCloudSDKException: [TencentCloudSDKException] code:FailedOperation.FlexdbRequestTimeOut message:调用 Flexdb 超时 requestId:{SEQ}`},
	{"apis/http-network-error", `{"level":"error","time":"{TIME}","msg":"callApis getLogistics failed","error":{"code":"FnError.HTTP.NetworkError","message":"方法getLogistics 底层接口网络请求失败","requestId":"{SEQ}"}}`},
}

// benignLines are the everyday lines of a WeDa app (configs/examples);
// {N} is replaced by a counter so that no two lines are equal.
var benignLines = []string{
	`{TIME} INFO  [weda-runtime] app lowcode-7gx2k9 heartbeat, env=prod, version=3.12.4 n={N}`,
	`{TIME} INFO  [datasource] callDataSource orders.wedaGetRecords ok cost=38ms records=20 errors=0 n={N}`,
	`{"level":"info","time":"{TIME}","msg":"page view","page":"/pages/order_list/index","user_id":"100009","cost_ms":412,"n":{N}}`,
	`{TIME} INFO  [auth] currentUser uid=u_100038 login ok n={N}`,
	`{TIME} INFO  [datasource] user_id=100009 loaded 20 orders in 38ms n={N}`,
	`{TIME} INFO  [datasource] order 100038 shipped, tracking=SF100035100039 n={N}`,
	`{"level":"info","time":"{TIME}","msg":"validated","field":"InvalidParameterValueHint","count":100009,"n":{N}}`,
	`{TIME} DEBUG [apis] FailedOperationCounter=0 UserErrorRate=0.00 n={N}`,
	`{TIME} INFO  [auth] roles synced: admin, NotPermissionGroup, viewer n={N}`,
	`203.0.113.10 - - [21/Jun/2024:08:00:07 +0800] "GET /pages/home/index.html?from=100038&n={N} HTTP/1.1" 200 2048 "-" "Mozilla/5.0" "lowcode-7gx2k9a1c3e5f-1307654321.tcloudbaseapp.com"`,
	`{TIME}	3f0c6a2e-8b1d-4e7a-9c55-0d2e4f6a8b10	INFO	fetched 200 orders from erp, errors=0 n={N}`,
	`{TIME} INFO  [datasource] callDataSource orders.wedaGetItem ok cost=12ms n={N}`,
}

// cri: lines are written as CRI log lines ("<time> stdout F <line>");
// docker: as lines of docker's json-file driver.
var cri, docker bool

// appendLine appends line and its newline to b, as a CRI log line
// written at at when -cri is set, as docker's json-file driver writes it
// when -docker is.
func appendLine(b []byte, line string, at time.Time) []byte {
	switch {
	case cri:
		b = at.AppendFormat(b, time.RFC3339Nano)
		b = append(b, " stdout F "...)
	case docker:
		b = append(b, `{"log":`...)
		q, _ := json.Marshal(line + "\n") // as docker escapes: <, > and & too
		b = append(b, q...)
		b = append(b, `,"stream":"stdout","time":"`...)
		b = at.UTC().AppendFormat(b, time.RFC3339Nano)
		return append(b, "\"}\n"...)
	}
	b = append(b, line...)
	return append(b, '\n')
}

type options struct {
	bin        string
	files      int
	rate       int
	cpuPhase   time.Duration
	duration   time.Duration
	errorEvery int
	poll       time.Duration
	tick       time.Duration
	idle       time.Duration
	dir        string
	keep       bool
	env        []string
	quietLines int
	backlog    int
}

func main() {
	var o options
	flag.StringVar(&o.bin, "wedadiag", "", "the wedadiag binary (scripts/loadtest builds it)")
	flag.IntVar(&o.files, "files", 10, "files written and followed (at most 12)")
	flag.IntVar(&o.rate, "rate", 20000, "lines per second written, in total over all files")
	flag.DurationVar(&o.cpuPhase, "cpu-phase", 30*time.Second, "first part of the load, with /metrics read every second: the daemon's CPU")
	flag.DurationVar(&o.duration, "duration", 60*time.Second, "second part of the load, with /metrics read every -poll: the latency")
	flag.IntVar(&o.errorEvery, "error-every", 50, "one line in this many is an error line (50: 2%)")
	flag.DurationVar(&o.poll, "poll", 20*time.Millisecond, "how often /metrics is read for the latency")
	flag.DurationVar(&o.tick, "tick", 10*time.Millisecond, "each writer writes what is due every tick, in one write(2)")
	flag.DurationVar(&o.idle, "idle", 5*time.Second, "each of the two idle phases before the load (nothing written; not polled, then polled)")
	flag.StringVar(&o.dir, "dir", "", "working directory (default: a temporary one, removed at the end)")
	flag.BoolVar(&o.keep, "keep", false, "keep the working directory")
	flag.IntVar(&o.quietLines, "quiet-lines", 10, "after the load, single error lines written to a quiet file one at a time, for their latency")
	flag.BoolVar(&docker, "docker", false, "write every line as docker's json-file driver writes it (format auto unwraps it too)")
	flag.BoolVar(&cri, "cri", false, "write every line as a container runtime (CRI) log line, as Kubernetes keeps a container's output: the daemon then unwraps them (format auto)")
	flag.IntVar(&o.backlog, "backlog", 0, "instead of the phases: write this many lines in total, as fast as possible, to files the daemon follows, and report how fast it catches up and its CPU seconds per million lines")
	flag.Func("env", "KEY=VALUE for wedadiag's environment, e.g. WEDADIAG_TAILER_SAVE_INTERVAL=1h (repeatable; other WEDADIAG_* variables are not passed on)", func(v string) error {
		if !strings.Contains(v, "=") {
			return errors.New("want KEY=VALUE")
		}
		o.env = append(o.env, v)
		return nil
	})
	flag.Parse()
	if o.bin == "" || o.files < 1 || o.files > len(errorLines) || o.rate < o.files || o.errorEvery < 2 {
		fmt.Fprintln(os.Stderr, "loadtest: need -wedadiag BIN, 1 <= -files <= 12, -rate >= -files, -error-every >= 2")
		os.Exit(2)
	}
	runner := run
	if o.backlog > 0 {
		runner = runBacklog
	}
	if err := runner(o); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// proc is the running daemon.
type proc struct {
	cmd    *exec.Cmd
	addr   string
	exited chan struct{}
	err    error
}

// logsDir makes the directory of the followed files, under -dir or a new
// temporary directory (then o.dir), and returns what removes the temporary
// one unless -keep.
func logsDir(o *options) (logs string, cleanup func(), err error) {
	cleanup = func() {}
	if o.dir == "" {
		d, err := os.MkdirTemp("", "wedadiag-loadtest-")
		if err != nil {
			return "", cleanup, err
		}
		o.dir = d
		if !o.keep {
			cleanup = func() { os.RemoveAll(d) }
		}
	}
	logs = filepath.Join(o.dir, "logs")
	if err := os.MkdirAll(logs, 0o755); err != nil {
		cleanup()
		return "", func() {}, err
	}
	return logs, cleanup, nil
}

func run(o options) error {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	logs, cleanup, err := logsDir(&o)
	if err != nil {
		return err
	}
	defer cleanup()
	files, glob, p, stop, err := startOnFiles(o, logs)
	if err != nil {
		return err
	}
	defer stop()
	pid := p.cmd.Process.Pid
	fmt.Printf("load starts %s; ", time.Now().Format("15:04:05.000"))
	fmt.Printf("wedadiag pid %d on %s following %s (%d files); load %d lines/s for %v + %v, 1 in %d an error line\n",
		pid, p.addr, glob, o.files, o.rate, o.cpuPhase, o.duration, o.errorEvery)
	fmt.Printf("host: %d CPUs, load average %s\n", runtime.NumCPU(), loadavg())

	// Wait until every file is followed.
	if err := waitFor(ctx, 20*time.Second, func() bool {
		m, err := scrape(p.addr)
		return err == nil && m.sum("wedadiag_files_followed") == float64(o.files)
	}); err != nil {
		return fmt.Errorf("files never all followed: %w", err)
	}

	ids := make([]string, o.files)
	for i := range ids {
		ids[i] = errorLines[i].id
	}
	lat := newLatencies(o.files)
	clk := clockTicks()
	self := os.Getpid()

	// Phase 1, idle, not polled: the daemon's own cost of following quiet
	// files.
	quiet := phaseStart(pid, self)
	if err := sleepCtx(ctx, o.idle); err != nil {
		return err
	}
	quiet.end()

	// Phase 2, idle, /metrics read every -poll: the cost of the
	// measurement itself.
	idlePoll := startPoller(ctx, p.addr, o.poll, ids, lat)
	idle := phaseStart(pid, self)
	if err := sleepCtx(ctx, o.idle); err != nil {
		return err
	}
	idle.end()
	idlePoll.stop()

	// Phases 3 and 4, the load: one writer per file, a sampler of /proc
	// every second. In phase 3 /metrics is read every second (as a
	// Prometheus would at most): the CPU to quote. In phase 4 it is read
	// every -poll: the latency.
	var samples []procSample
	sampCtx, stopSamp := context.WithCancel(ctx)
	defer stopSamp()
	var sampWG sync.WaitGroup
	sampWG.Go(func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-sampCtx.Done():
				return
			case <-t.C:
				samples = append(samples, sampleProc(pid))
			}
		}
	})
	loadCtx, stopLoad := context.WithTimeout(ctx, o.cpuPhase+o.duration)
	defer stopLoad()
	var wg sync.WaitGroup
	written := make([]writerStats, o.files)
	t0 := time.Now()
	slowPoller := startPoller(ctx, p.addr, time.Second, ids, lat)
	cpuPhase := phaseStart(pid, self)
	for i, f := range files {
		wg.Go(func() {
			written[i] = write(loadCtx, f, i, float64(o.rate)/float64(o.files), o.errorEvery, o.tick, t0, lat)
		})
	}
	if err := sleepCtx(ctx, o.cpuPhase); err != nil {
		return err
	}
	cpuPhase.end()
	slowPoller.stop()
	lat.startMeasuring()
	poller := startPoller(ctx, p.addr, o.poll, ids, lat)
	defer poller.stop()
	latPhase := phaseStart(pid, self)
	wg.Wait()
	latPhase.end()
	loadWall := time.Since(t0)
	stopSamp()
	sampWG.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}

	var lines, bytes, errs int64
	for _, w := range written {
		lines += w.lines
		bytes += w.bytes
		errs += w.errors
	}
	// Drain: wait until every line is read and every error counted.
	drainStart := time.Now()
	var last *metrics
	if err := waitFor(ctx, 120*time.Second, func() bool {
		m, err := scrape(p.addr)
		if err != nil {
			return false
		}
		last = m
		return m.sum("wedadiag_lines_total") >= float64(lines) && lat.allSeen()
	}); err != nil {
		return fmt.Errorf("the daemon did not catch up within 120s after the load: %w (read %v of %d lines, %d of %d errors counted)",
			err, last.sum("wedadiag_lines_total"), lines, lat.seen(), errs)
	}
	drain := time.Since(drainStart)
	poller.stop()
	pollStats := poller.stats
	final, err := scrape(p.addr)
	if err != nil {
		return err
	}
	hwm := sampleProc(pid).hwmKB

	// Phase 5, quiet: single error lines on a file that is otherwise not
	// written, each waited for (/metrics read every 5ms).
	var quietLat []float64
	before := final.get("wedadiag_diagnoses_total", "id", ids[0])
	for i := range o.quietLines {
		line := strings.Replace(strings.Replace(errorLines[0].text, "{SEQ}", fmt.Sprintf("lt-quiet-%d", i), 1), "{TIME}", time.Now().Format("2006-01-02T15:04:05.000Z07:00"), 1)
		at := time.Now()
		if _, err := files[0].Write(appendLine(nil, line, time.Now())); err != nil {
			return err
		}
		var seen time.Time
		err := waitForEvery(ctx, 30*time.Second, 5*time.Millisecond, func() bool {
			m, err := scrape(p.addr)
			if err != nil || m.get("wedadiag_diagnoses_total", "id", ids[0]) <= before {
				return false
			}
			before, seen = m.get("wedadiag_diagnoses_total", "id", ids[0]), time.Now()
			return true
		})
		if err != nil {
			return fmt.Errorf("a quiet error line was not counted: %w", err)
		}
		quietLat = append(quietLat, float64(seen.Sub(at))/float64(time.Millisecond))
	}
	end, err := scrape(p.addr)
	if err != nil {
		return err
	}

	// Stop: SIGTERM, exit 0 expected.
	stopStart := time.Now()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		return errors.New("wedadiag did not exit within 30s of SIGTERM")
	}
	stopTook := time.Since(stopStart)

	// Report.
	fmt.Printf("\nwritten: %d lines (%d error lines), %.1f MB in %v: %.0f lines/s, %.2f MB/s\n",
		lines, errs, float64(bytes)/1e6, loadWall.Round(time.Millisecond), float64(lines)/loadWall.Seconds(), float64(bytes)/1e6/loadWall.Seconds())
	fmt.Printf("read:    wedadiag_lines_total %.0f, wedadiag_records_total %.0f, wedadiag_diagnoses_total %.0f; caught up %v after the last write\n",
		final.sum("wedadiag_lines_total"), final.sum("wedadiag_records_total"), final.sum("wedadiag_diagnoses_total"), drain.Round(time.Millisecond))
	fmt.Printf("         wedadiag_bytes_behind max %.0f bytes (of the polls during the load)\n", pollStats.maxBehind)
	var bad []string
	if got := end.sum("wedadiag_lines_total"); got != float64(lines+int64(o.quietLines)) {
		bad = append(bad, fmt.Sprintf("wedadiag_lines_total %.0f, written %d", got, lines+int64(o.quietLines)))
	}
	for i, id := range ids {
		want := written[i].errors
		if i == 0 {
			want += int64(o.quietLines)
		}
		if got := end.get("wedadiag_diagnoses_total", "id", id); got != float64(want) {
			bad = append(bad, fmt.Sprintf("%s counted %.0f, written %d", id, got, want))
		}
	}

	fmt.Printf("\nCPU (%% of one core, utime+stime from /proc/PID/stat):\n")
	fmt.Printf("  1 idle, not polled:                          daemon %5.1f%% over %v\n", quiet.daemon(clk), o.idle)
	fmt.Printf("  2 idle, /metrics read every %-6v           daemon %5.1f%% over %v (the measurement's own cost); load generator %.1f%%\n",
		o.poll, idle.daemon(clk), o.idle, idle.self(clk))
	fmt.Printf("  3 load, /metrics read every 1s:              daemon %5.1f%% over %v%s; load generator %.1f%%\n",
		cpuPhase.daemon(clk), o.cpuPhase, perSecond(samples, cpuPhase, clk), cpuPhase.self(clk))
	fmt.Printf("  4 load, /metrics read every %-6v           daemon %5.1f%% over %v%s; load generator %.1f%%\n",
		o.poll, latPhase.daemon(clk), o.duration, perSecond(samples, latPhase, clk), latPhase.self(clk))
	var rssMax int64
	for _, s := range samples {
		rssMax = max(rssMax, s.rssKB)
	}
	fmt.Printf("\nmemory (/proc/PID/status): VmRSS before load %.1f MiB, max during load %.1f MiB (1 s samples), at end %.1f MiB; VmHWM %.1f MiB\n",
		mib(cpuPhase.a.rssKB), mib(rssMax), mib(latPhase.b.rssKB), mib(hwm))

	l := lat.all()
	slices.Sort(l)
	fmt.Printf("\nlatency in phase 4, error line written -> counted in /metrics (%d lines; resolution: poll %v + one scrape, scrape p50 %v max %v):\n",
		len(l), o.poll, pollStats.quantile(0.5), pollStats.max())
	fmt.Printf("  p50 %v  p90 %v  p99 %v  p99.9 %v  max %v\n",
		ms(quantile(l, 0.5)), ms(quantile(l, 0.9)), ms(quantile(l, 0.99)), ms(quantile(l, 0.999)), ms(l[len(l)-1]))
	if len(pollStats.slow) > 0 {
		fmt.Printf("  stalls (polls over %v or over %d bytes behind): %d\n", slowPoll, slowBehind, len(pollStats.slow))
		for i, s := range pollStats.slow {
			if i == 20 {
				fmt.Printf("    … %d more\n", len(pollStats.slow)-i)
				break
			}
			fmt.Println("    " + s)
		}
	}
	if len(quietLat) > 0 {
		slices.Sort(quietLat)
		fmt.Printf("\nlatency in phase 5, a single error line on a quiet file -> counted (%d lines, /metrics read every 5ms):\n", len(quietLat))
		fmt.Printf("  p50 %v  max %v  (a record is held until the next line shows it has no continuation, or tailer.idle_flush)\n",
			ms(quantile(quietLat, 0.5)), ms(quietLat[len(quietLat)-1]))
	}
	fmt.Printf("\nSIGTERM -> exit: %v, %v\n", stopTook.Round(time.Millisecond), exitText(p.err))
	fmt.Printf("host load average at the end: %s\n", loadavg())
	if len(bad) > 0 || p.err != nil {
		return fmt.Errorf("counts wrong or bad exit: %s %v", strings.Join(bad, "; "), p.err)
	}
	return nil
}

func exitText(err error) string {
	if err == nil {
		return "exit 0"
	}
	return err.Error()
}

func mib(kb int64) float64 { return float64(kb) / 1024 }

func ms(v float64) string {
	return time.Duration(v * float64(time.Millisecond)).Round(100 * time.Microsecond).String()
}

// start runs the daemon on the glob with its default configuration and
// waits for its address and /readyz.
// startOnFiles creates (empty) the o.files log files in logs and starts the
// daemon following them; stop kills a daemon still running and closes the
// files.
func startOnFiles(o options, logs string) (files []*os.File, glob string, p *proc, stop func(), err error) {
	files = make([]*os.File, o.files)
	closeAll := func() {
		for _, f := range files {
			if f != nil {
				f.Close()
			}
		}
	}
	for i := range files {
		f, err := os.OpenFile(filepath.Join(logs, fmt.Sprintf("app-%02d.log", i)), os.O_CREATE|os.O_WRONLY|os.O_APPEND|os.O_TRUNC, 0o644)
		if err != nil {
			closeAll()
			return nil, "", nil, nil, err
		}
		files[i] = f
	}
	glob = filepath.Join(logs, "*.log")
	if p, err = start(o, glob); err != nil {
		closeAll()
		return nil, "", nil, nil, err
	}
	stop = func() {
		if p.running() {
			p.cmd.Process.Kill()
			<-p.exited
		}
		closeAll()
	}
	return files, glob, p, stop, nil
}

func start(o options, glob string) (*proc, error) {
	cmd := exec.Command(o.bin, "run", "--logs", glob, "--listen", "127.0.0.1:0", "--state-dir", filepath.Join(o.dir, "state"))
	cmd.Dir = o.dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WEDADIAG_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, o.env...)
	logf, err := os.Create(filepath.Join(o.dir, "wedadiag.log"))
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	cmd.Stdout = logf
	cmd.Stderr = io.MultiWriter(logf, pw)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		pw.Close()
		logf.Close()
		close(p.exited)
	}()
	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`msg=listening address=(\S+)`)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, pr)
	}()
	select {
	case p.addr = <-addr:
	case <-p.exited:
		return nil, fmt.Errorf("wedadiag exited: %v (log in %s)", p.err, filepath.Join(o.dir, "wedadiag.log"))
	case <-time.After(20 * time.Second):
		return nil, errors.New("no msg=listening address= in wedadiag's log within 20s")
	}
	err = waitFor(context.Background(), 20*time.Second, func() bool {
		resp, err := http.Get("http://" + p.addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return p, err
}

func (p *proc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}
