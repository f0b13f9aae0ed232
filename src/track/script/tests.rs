//! Fake-clock tests of the vrrp_script runner (KEEPALIVED.md §3.1).

use super::*;
use crate::config::model::Script;

fn vscript(name: &str, interval_s: u32, timeout_s: u32, rise: u32, fall: u32) -> VrrpScript {
    VrrpScript {
        name: name.into(),
        script: Some(Script {
            cmd: "/bin/true".into(),
            argv: vec!["/bin/true".into()],
            user: None,
            group: None,
        }),
        interval_s,
        timeout_s,
        weight: 0,
        weight_reverse: false,
        rise,
        fall,
        init_fail: false,
        user: None,
        user_set: true,
        used: true,
    }
}

fn ms(v: u64) -> Instant {
    Instant::from_millis(v)
}

/// Drives one tracker on a fake clock and records every action as a line
/// "<ms> <what>".
struct H {
    t: ScriptTracker,
    now: Instant,
    out: Vec<String>,
    /// The run the daemon would be running (the last `Run` seen).
    last_run: Option<RunId>,
    next_pid: u32,
}

impl H {
    fn new(s: VrrpScript) -> H {
        H {
            t: ScriptTracker::new(3, &s),
            now: Instant::ZERO,
            out: Vec::new(),
            last_run: None,
            next_pid: 1000,
        }
    }

    fn drain(&mut self) {
        while let Some(a) = self.t.poll_action() {
            let at = self.now.micros() / 1000;
            let line = match a {
                TrackAction::Run { script, run } => {
                    assert_eq!(script, 3);
                    assert_eq!(run.script, 3);
                    self.last_run = Some(run);
                    self.next_pid += 1;
                    self.t.handle_started(run, self.next_pid);
                    format!("{at} run #{}", run.seq)
                }
                TrackAction::Kill { run, signal } => {
                    format!("{at} kill #{} {signal:?}", run.seq)
                }
                TrackAction::Status { name, status } => {
                    assert_eq!(name, "chk");
                    format!("{at} status {status:?}")
                }
                TrackAction::Log(e) => format!("{at} log {}", e.text()),
            };
            self.out.push(line);
        }
    }

    fn start(&mut self, at: u64) {
        self.now = ms(at);
        self.t.start(self.now);
        self.drain();
    }

    /// Advance to `to`, firing every deadline on the way at its own time.
    fn advance(&mut self, to: u64) {
        let to = ms(to);
        while let Some(d) = self.t.poll_timeout().filter(|&d| d <= to) {
            self.now = d;
            self.t.handle_timeout(d);
            self.drain();
        }
        self.now = to;
    }

    /// The current run ends at `at` (deadlines before that fire first).
    fn exit(&mut self, at: u64, o: Outcome) {
        self.advance(at);
        let run = self.t.current_run().expect("a run is going").0;
        self.t.handle_exit(self.now, run, o);
        self.drain();
    }

    /// Take the recorded lines.
    fn take(&mut self) -> Vec<String> {
        std::mem::take(&mut self.out)
    }
}

fn lines(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn runs_at_start_and_every_interval_rearmed_at_each_run() {
    let mut h = H::new(vscript("chk", 2, 0, 1, 1));
    h.start(0);
    assert_eq!(h.take(), lines(&["0 run #1"]));
    assert_eq!(h.t.poll_timeout(), Some(ms(2000)));
    // The run ends at 0.7 s: the next one is still 2 s after the start of
    // this one, not 2 s after its end.
    h.exit(700, Outcome::Exited(0));
    assert_eq!(h.t.poll_timeout(), Some(ms(2000)));
    h.advance(2000);
    h.exit(3900, Outcome::Exited(0));
    h.advance(4000);
    assert_eq!(
        h.take(),
        lines(&[
            "700 log VRRP_Script(chk) succeeded",
            "700 status Up",
            "2000 run #2",
            "4000 run #3",
        ])
    );
    // start() twice does not add a run.
    h.t.start(ms(4000));
    h.drain();
    assert!(h.take().is_empty());
}

#[test]
fn rise2_fall2_sequence_as_verified() {
    // compat/evidence/log-nodeA-failover-with-D.txt, conf-a.conf: interval 1,
    // rise 2, fall 2; the script starts returning 3, then 0 again.
    let mut h = H::new(vscript("chk", 1, 0, 2, 2));
    h.start(0);
    h.exit(10, Outcome::Exited(0)); // init: one success is enough
    h.advance(1000);
    h.exit(1010, Outcome::Exited(0));
    h.advance(2000);
    h.exit(2010, Outcome::Exited(3)); // 1st failure: still OK
    h.advance(3000);
    h.exit(3010, Outcome::Exited(3)); // 2nd failure: KO
    h.advance(4000);
    h.exit(4010, Outcome::Exited(3));
    h.advance(5000);
    h.exit(5010, Outcome::Exited(0)); // 1st success: still KO
    h.advance(6000);
    h.exit(6010, Outcome::Exited(0)); // 2nd success: OK
    assert_eq!(
        h.take(),
        lines(&[
            "0 run #1",
            "10 log VRRP_Script(chk) succeeded",
            "10 status Up",
            "1000 run #2",
            "2000 run #3",
            "2010 log Script `chk` now returning 3",
            "3000 run #4",
            "3010 log VRRP_Script(chk) failed (exited with status 3)",
            "3010 status Down",
            "4000 run #5",
            "5000 run #6",
            "5010 log Script `chk` now returning 0",
            "6000 run #7",
            "6010 log VRRP_Script(chk) succeeded",
            "6010 status Up",
        ])
    );
    assert_eq!(h.t.status(), TrackerStatus::Up);
}

#[test]
fn a_failure_between_successes_resets_the_rise_count() {
    let mut h = H::new(vscript("chk", 1, 0, 3, 1));
    h.start(0);
    h.exit(10, Outcome::Exited(1)); // init: first failure fails
    for (k, code) in [0, 0, 1, 0, 0, 0].into_iter().enumerate() {
        let t = 1000 * (k as u64 + 1);
        h.advance(t);
        h.exit(t + 10, Outcome::Exited(code));
    }
    let st: Vec<String> = h
        .take()
        .into_iter()
        .filter(|l| l.contains("status") || l.contains("VRRP_Script"))
        .collect();
    assert_eq!(
        st,
        lines(&[
            "10 log VRRP_Script(chk) failed (exited with status 1)",
            "10 status Down",
            // two successes, a failure (silent while KO), then three
            "6010 log VRRP_Script(chk) succeeded",
            "6010 status Up",
        ])
    );
}

#[test]
fn init_quirk_one_success_or_first_failure_decides() {
    // rise 5 / fall 5: still one success makes it OK at start...
    let mut h = H::new(vscript("chk", 1, 0, 5, 5));
    assert_eq!(h.t.status(), TrackerStatus::Init);
    h.start(0);
    h.exit(10, Outcome::Exited(0));
    assert_eq!(h.t.status(), TrackerStatus::Up);
    assert!(h.take().contains(&"10 status Up".to_string()));
    // ... and from then on it takes 5 failures.
    for k in 1..=4 {
        h.advance(1000 * k);
        h.exit(1000 * k + 10, Outcome::Exited(2));
        assert_eq!(h.t.status(), TrackerStatus::Up, "failure {k}");
    }
    h.advance(5000);
    h.exit(5010, Outcome::Exited(2));
    assert_eq!(h.t.status(), TrackerStatus::Down);
    assert!(h.take().contains(&"5010 status Down".to_string()));

    // ... and the first failure makes it KO at once.
    let mut h = H::new(vscript("chk", 1, 0, 5, 5));
    h.start(0);
    h.exit(10, Outcome::Signaled(11));
    assert_eq!(
        h.take(),
        lines(&[
            "0 run #1",
            "10 log VRRP_Script(chk) failed (due to signal 11)",
            "10 status Down",
        ])
    );
    // then it takes 5 successes
    for k in 1..=4 {
        h.advance(1000 * k);
        h.exit(1000 * k + 10, Outcome::Exited(0));
        assert_eq!(h.t.status(), TrackerStatus::Down, "success {k}");
    }
    h.advance(5000);
    h.exit(5010, Outcome::Exited(0));
    assert_eq!(h.t.status(), TrackerStatus::Up);
}

#[test]
fn exit_code_change_lines() {
    let mut h = H::new(vscript("chk", 1, 0, 1, 3));
    h.start(0);
    // The first run compares with 0 (keepalived's zeroed last_status).
    let codes = [2, 2, 0, 0, 3, 1, 1];
    for (k, code) in codes.into_iter().enumerate() {
        let t = 1000 * k as u64;
        h.advance(t);
        h.exit(t + 10, Outcome::Exited(code));
    }
    // A signal does not change the remembered code.
    h.advance(7000);
    h.exit(7010, Outcome::Signaled(6));
    h.advance(8000);
    h.exit(8010, Outcome::Exited(1));
    let got: Vec<String> = h
        .take()
        .into_iter()
        .filter(|l| l.contains("now returning"))
        .collect();
    assert_eq!(
        got,
        lines(&[
            "10 log Script `chk` now returning 2",
            "2010 log Script `chk` now returning 0",
            "4010 log Script `chk` now returning 3",
            "5010 log Script `chk` now returning 1",
        ])
    );
}

#[test]
fn configured_timeout_kill_sequence_exact_times() {
    // interval 20, timeout 3: TERM at 3, KILL at 5, "failed to terminate"
    // + KILL at 7, again every 10 s; the run finally dies of SIGKILL.
    let mut h = H::new(vscript("chk", 20, 3, 1, 1));
    h.start(0);
    h.exit(18_000, Outcome::Signaled(SIGKILL));
    assert_eq!(
        h.take(),
        lines(&[
            "0 run #1",
            "3000 kill #1 Term",
            "5000 kill #1 Kill",
            "7000 log Script chk child (PID 1001) failed to terminate after kill",
            "7000 kill #1 Kill",
            "17000 log Script chk child (PID 1001) failed to terminate after kill",
            "17000 kill #1 Kill",
            "18000 log VRRP_Script(chk) timed_out",
            "18000 log VRRP_Script(chk) timed out after 3 s (timeout 3)",
            "18000 status Down",
        ])
    );
    // No kill deadline is left; the next run is at 20 s.
    assert_eq!(h.t.poll_timeout(), Some(ms(20_000)));
    assert_eq!(h.t.current_run(), None);
}

#[test]
fn default_timeout_is_the_interval_and_the_interval_is_skipped() {
    // interval 2, no timeout: at 2 s the interval comes first (skipped,
    // the run is still going), then the timeout sends SIGTERM; the script
    // dies of it, keepalived kills the rest of its group.
    let mut h = H::new(vscript("chk", 2, 0, 1, 1));
    h.start(0);
    h.exit(2_050, Outcome::Signaled(SIGTERM));
    h.advance(4_000);
    assert_eq!(
        h.take(),
        lines(&[
            "0 run #1",
            "2000 log Track script chk is already running, expect idle - skipping run",
            "2000 kill #1 Term",
            "2050 kill #1 Kill",
            "2050 log VRRP_Script(chk) timed_out",
            "2050 log VRRP_Script(chk) timed out after 2 s (timeout defaults to interval 2 s; set `timeout` in vrrp_script to allow longer runs)",
            "2050 status Down",
            "4000 run #2",
        ])
    );
}

#[test]
fn skipped_runs_logged_once_per_occurrence() {
    // interval 1, timeout 5: a hung run skips the intervals at 1..5 (one
    // line each), then is being timed out at 6.
    let mut h = H::new(vscript("chk", 1, 5, 1, 1));
    h.start(0);
    h.exit(6_500, Outcome::Signaled(SIGTERM));
    h.advance(7_000);
    let out = h.take();
    let skips: Vec<&String> = out.iter().filter(|l| l.contains("skipping")).collect();
    assert_eq!(
        skips,
        vec![
            "1000 log Track script chk is already running, expect idle - skipping run",
            "2000 log Track script chk is already running, expect idle - skipping run",
            "3000 log Track script chk is already running, expect idle - skipping run",
            "4000 log Track script chk is already running, expect idle - skipping run",
            "5000 log Track script chk is already running, expect idle - skipping run",
            "6000 log Track script chk is being timed out, expect idle - skipping run",
        ]
    );
    let runs: Vec<&String> = out.iter().filter(|l| l.contains(" run #")).collect();
    assert_eq!(runs, vec!["0 run #1", "7000 run #2"]);
    assert!(out.contains(&"5000 kill #1 Term".to_string()));
    assert!(out.contains(&"6500 log VRRP_Script(chk) timed_out".to_string()));
}

#[test]
fn exit_after_term_with_a_code_is_a_plain_failure() {
    // A script trapping SIGTERM and exiting 1: keepalived reports the exit
    // code, not timed_out; our line still says why it was stopped.
    let mut h = H::new(vscript("chk", 10, 4, 1, 1));
    h.start(0);
    h.exit(4_200, Outcome::Exited(1));
    assert_eq!(
        h.take(),
        lines(&[
            "0 run #1",
            "4000 kill #1 Term",
            "4200 log Script `chk` now returning 1",
            "4200 log VRRP_Script(chk) failed (exited with status 1)",
            "4200 log VRRP_Script(chk) timed out after 4 s (timeout 4)",
            "4200 status Down",
        ])
    );
}

#[test]
fn signals_other_than_ours_are_failures_with_the_signal() {
    // SIGKILL while we had only sent SIGTERM: not "timed_out".
    let mut h = H::new(vscript("chk", 10, 4, 1, 1));
    h.start(0);
    h.exit(4_100, Outcome::Signaled(SIGKILL));
    let out = h.take();
    assert!(out.contains(&"4100 log VRRP_Script(chk) failed (due to signal 9)".to_string()));
    assert!(!out.iter().any(|l| l.contains("4100 kill")));
}

#[test]
fn timed_out_run_while_ok_with_fall_2_only_explains() {
    let mut h = H::new(vscript("chk", 3, 0, 2, 2));
    h.start(0);
    h.exit(100, Outcome::Exited(0));
    h.advance(3_000);
    h.exit(6_010, Outcome::Signaled(SIGTERM)); // killed at 6
    let out = h.take();
    assert!(out.contains(&"6000 kill #2 Term".to_string()));
    assert!(out.contains(
        &"6010 log VRRP_Script(chk) timed out after 3 s (timeout defaults to interval 3 s; set `timeout` in vrrp_script to allow longer runs)".to_string()
    ));
    assert!(
        !out.iter()
            .any(|l| l.contains("timed_out") || l.contains("status Down"))
    );
    assert_eq!(h.t.status(), TrackerStatus::Up);
}

#[test]
fn stale_early_and_repeated_inputs_do_nothing() {
    let mut h = H::new(vscript("chk", 5, 0, 1, 1));
    h.start(0);
    let first = h.last_run.expect("run");
    h.t.handle_timeout(ms(4_999));
    h.t.handle_timeout(ms(100));
    h.drain();
    assert_eq!(h.take(), lines(&["0 run #1"]));
    h.exit(200, Outcome::Exited(0));
    h.take();
    // The same exit again, and an exit of an unknown run.
    h.t.handle_exit(ms(300), first, Outcome::Exited(7));
    h.t.handle_exit(ms(300), RunId { script: 3, seq: 99 }, Outcome::Exited(7));
    h.t.handle_lost(first);
    h.drain();
    assert!(h.take().is_empty());
    assert_eq!(h.t.status(), TrackerStatus::Up);
    // The deadline fired twice runs once.
    h.now = ms(5_000);
    h.t.handle_timeout(ms(5_000));
    h.t.handle_timeout(ms(5_000));
    h.drain();
    assert_eq!(h.take(), lines(&["5000 run #2"]));
}

#[test]
fn spawn_failure_gives_no_result_and_the_next_interval_runs() {
    let mut h = H::new(vscript("chk", 1, 0, 1, 1));
    h.start(0);
    let run = h.last_run.expect("run");
    h.t.handle_spawn_failed(run);
    assert_eq!(h.t.current_run(), None);
    assert_eq!(h.t.poll_timeout(), Some(ms(1_000)));
    h.advance(1_000);
    assert_eq!(h.t.status(), TrackerStatus::Init);
    assert_eq!(h.take(), lines(&["0 run #1", "1000 run #2"]));
}

#[test]
fn lost_child_is_forgotten_without_result() {
    let mut h = H::new(vscript("chk", 10, 2, 1, 1));
    h.start(0);
    h.advance(2_000);
    let run = h.last_run.expect("run");
    h.t.handle_lost(run);
    h.drain();
    assert_eq!(
        h.take(),
        lines(&[
            "0 run #1",
            "2000 kill #1 Term",
            "2000 log Script chk child (PID 1001) lost",
        ])
    );
    assert_eq!(h.t.poll_timeout(), Some(ms(10_000)));
    assert_eq!(h.t.status(), TrackerStatus::Init);
}

#[test]
fn weight_minus_60_failure_moves_priority_150_to_90() {
    // The tracker's Status through the priority arithmetic, as in
    // log-nodeA-failover-with-D.txt ("Changing effective priority from 150
    // to 90" after "VRRP_Script(chk) failed").
    use crate::vrrp::priority::{Priority, TrackerKind};
    let mut p = Priority::new(150);
    let id = p.add_tracker(TrackerKind::Script, "chk", -60, false, TrackerStatus::Init);
    assert_eq!(p.refresh(), None);
    let mut h = H::new(vscript("chk", 1, 0, 2, 2));
    h.start(0);
    let mut changes = Vec::new();
    let mut feed = |h: &mut H, p: &mut Priority| {
        for l in h.take() {
            let st = match l.split_once(" status ") {
                Some((_, "Up")) => TrackerStatus::Up,
                Some((_, "Down")) => TrackerStatus::Down,
                _ => continue,
            };
            if let Some(c) = p.set_status(id, st).priority {
                changes.push((c.from, c.to));
            }
        }
    };
    h.exit(10, Outcome::Exited(0));
    feed(&mut h, &mut p);
    for (k, code) in [3, 3, 0, 0].into_iter().enumerate() {
        let t = 1000 * (k as u64 + 1);
        h.advance(t);
        h.exit(t + 10, Outcome::Exited(code));
        feed(&mut h, &mut p);
    }
    assert_eq!(changes, vec![(150, 90), (90, 150)]);
}

#[test]
fn trackers_set_builds_from_config_and_routes_runs() {
    let mut cfg = Config::default();
    cfg.scripts.push(vscript("a", 1, 0, 1, 1));
    let mut unused = vscript("unused", 1, 0, 1, 1);
    unused.used = false;
    cfg.scripts.push(unused);
    let mut noscript = vscript("noscript", 1, 0, 1, 1);
    noscript.script = None;
    cfg.scripts.push(noscript);
    cfg.scripts.push(vscript("b", 3, 0, 1, 1));
    let mut set = ScriptTrackers::new(&cfg);
    let names: Vec<&str> = set.trackers().iter().map(ScriptTracker::name).collect();
    assert_eq!(names, vec!["a", "b"]);
    set.start(Instant::ZERO);
    let mut runs = Vec::new();
    while let Some(a) = set.poll_action() {
        if let TrackAction::Run { script, run } = a {
            runs.push((script, run));
        }
    }
    assert_eq!(
        runs,
        vec![
            (0, RunId { script: 0, seq: 1 }),
            (3, RunId { script: 3, seq: 1 })
        ]
    );
    assert_eq!(set.poll_timeout(), Some(ms(1_000)));
    set.handle_started(runs[1].1, 77);
    set.handle_exit(ms(500), runs[1].1, Outcome::Exited(4));
    let mut got = Vec::new();
    while let Some(a) = set.poll_action() {
        got.push(a);
    }
    assert_eq!(
        got,
        vec![
            TrackAction::Log(Event::ScriptNowReturning {
                script: "b".into(),
                status: 4
            }),
            TrackAction::Log(Event::ScriptFailed {
                script: "b".into(),
                how: "failed (exited with status 4)".into()
            }),
            TrackAction::Status {
                name: "b".into(),
                status: TrackerStatus::Down
            },
        ]
    );
    // Script "a" (interval 1, timeout 1) still runs: at 1 s its interval is
    // skipped, then its timeout fires — intervals of all scripts first.
    set.handle_timeout(ms(1_000));
    let mut got = Vec::new();
    while let Some(a) = set.poll_action() {
        got.push(a);
    }
    assert_eq!(
        got,
        vec![
            TrackAction::Log(Event::ScriptSkippingRun {
                script: "a".into(),
                timing_out: false
            }),
            TrackAction::Kill {
                run: RunId { script: 0, seq: 1 },
                signal: Signal::Term
            },
        ]
    );
}

/// A tracker with `result` completed runs' worth of state.
fn tracker_with(rise: u32, fall: u32, result: u32) -> ScriptTracker {
    let mut t = ScriptTracker::new(0, &vscript("chk", 2, 0, rise, fall));
    t.init = false;
    t.result = result;
    t
}

#[test]
fn reload_scales_results_to_the_new_rise_and_fall_as_keepalived() {
    // (old rise, fall, result) → (new rise, fall) → new result, line
    let cases = [
        // failing at the bottom stays at the bottom
        ((3, 3, 0), (5, 2), 0, false),
        // failing part way up: the same distance below the new rise
        ((3, 3, 2), (5, 2), 4, false),
        ((5, 2, 1), (2, 2), 0, false),
        // fully good stays fully good
        ((3, 3, 5), (2, 4), 5, true),
        // good part way: the same distance above rise, capped at the top
        ((3, 3, 4), (2, 2), 3, true),
        ((2, 4, 3), (2, 2), 3, true),
        ((2, 4, 4), (2, 2), 3, true),
    ];
    for ((or, of, oresult), (nr, nf), want, ok) in cases {
        let mut old = tracker_with(or, of, oresult);
        let mut new = ScriptTracker::new(0, &vscript("chk", 2, 0, nr, nf));
        let (ev, _) = new.carry_from(ms(0), &mut old, true);
        assert_eq!(new.result, want, "{or}/{of}/{oresult} -> {nr}/{nf}");
        assert_eq!(
            ev.map(|e| e.text()),
            Some(format!(
                "VRRP_Script(chk) considered {} on reload",
                if ok { "successful" } else { "unsuccessful" }
            ))
        );
        assert_eq!(new.status() == TrackerStatus::Up, ok);
    }
}

#[test]
fn reload_of_a_script_still_in_init_stays_in_init_silently() {
    let mut old = ScriptTracker::new(0, &vscript("chk", 2, 0, 3, 3));
    let mut new = ScriptTracker::new(0, &vscript("chk", 2, 0, 1, 1));
    let (ev, _) = new.carry_from(ms(0), &mut old, true);
    assert_eq!(ev, None);
    assert_eq!(new.status(), TrackerStatus::Init);
}

#[test]
fn reload_keeps_a_run_in_progress_of_the_same_command_and_its_rhythm() {
    let mut old = ScriptTracker::new(0, &vscript("chk", 10, 0, 1, 1));
    old.start(ms(0));
    while old.poll_action().is_some() {}
    let (run, _) = old.current_run().expect("running");
    old.handle_started(run, 4242);
    // the script moved to index 7 in the new file, interval 10 s → 4 s
    let mut new = ScriptTracker::new(7, &vscript("chk", 4, 0, 1, 1));
    let (_, moved) = new.carry_from(ms(1_000), &mut old, true);
    let (from, to) = moved.expect("the run goes on");
    assert_eq!(from, run);
    assert_eq!(
        to,
        RunId {
            script: 7,
            seq: run.seq
        }
    );
    assert_eq!(new.current_run(), Some((to, Some(4242))));
    // the next run: the old rhythm, but no later than the new interval
    assert_eq!(new.next_run, Some(ms(5_000)));
    new.start(ms(1_000));
    assert_eq!(new.poll_action(), None, "start must not run it again");
    // its exit is the new tracker's result
    new.handle_exit(ms(1_200), to, Outcome::Exited(0));
    assert_eq!(new.status(), TrackerStatus::Up);
}

#[test]
fn reload_of_a_changed_command_runs_it_anew_and_orphans_the_old_run() {
    let mut cfg_old = Config::default();
    cfg_old.scripts.push(vscript("chk", 10, 0, 1, 1));
    let mut old = ScriptTrackers::new(&cfg_old);
    old.start(ms(0));
    while old.poll_action().is_some() {}
    let mut cfg_new = Config::default();
    cfg_new.scripts.push(vscript("other", 10, 0, 1, 1));
    cfg_new.scripts.push(vscript("chk", 10, 0, 1, 1));
    let mut new = ScriptTrackers::new(&cfg_new);
    let carried = new.carry_from(ms(500), old, &|_, _| false);
    assert!(carried.moved.is_empty());
    assert_eq!(carried.orphans, vec![RunId { script: 0, seq: 1 }]);
    new.start(ms(500));
    let runs: Vec<usize> = std::iter::from_fn(|| new.poll_action())
        .filter_map(|a| match a {
            TrackAction::Run { script, .. } => Some(script),
            _ => None,
        })
        .collect();
    assert_eq!(runs, vec![0, 1]);
}
