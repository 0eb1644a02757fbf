//! The engine's unit tests: concurrency, the deadline, a panicking check, needs and skips.

use super::*;

struct T;

fn slow(_: Arc<T>, _: Deps) -> Pin<Box<dyn Future<Output = Examined> + Send>> {
    Box::pin(async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        (
            Facts::of(serde_json::json!({"slept_ms": 300})),
            Diagnosis::pass("slept"),
        )
    })
}
fn hang(_: Arc<T>, _: Deps) -> Pin<Box<dyn Future<Output = Examined> + Send>> {
    Box::pin(async {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        (Facts::none(), Diagnosis::pass("never"))
    })
}
fn boom(_: Arc<T>, _: Deps) -> Pin<Box<dyn Future<Output = Examined> + Send>> {
    Box::pin(async { panic!("bad input") })
}
fn dependent(_: Arc<T>, deps: Deps) -> Pin<Box<dyn Future<Output = Examined> + Send>> {
    Box::pin(async move {
        match deps.blocked_by(CheckId::Listener) {
            Some(why) => (
                Facts::none(),
                Diagnosis::skipped(format!("server part skipped: {why}"), why.to_string()),
            ),
            None => (Facts::none(), Diagnosis::pass("dep ok")),
        }
    })
}

fn def(id: CheckId, run: RunFn<T>, needs: &'static [CheckId]) -> CheckDef<T> {
    CheckDef {
        id,
        title: "t",
        question: "q",
        inspects: "i",
        needs,
        run,
        read: |_| Err("not in this test".into()),
        judge: |_| internal("not in this test".into()),
        aspects: |_, _| {},
        events: |_, _| {},
        home: |_| None,
        shows: |_, _| {},
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Run the listener and host checks of `reg` on paused time (exact: no machine's load reaches
/// it) with a deadline `secs` away: their outcomes, and the virtual time it took.
fn run_paused(reg: &[CheckDef<T>], secs: u64) -> (Vec<CheckOutcome>, Duration) {
    let r = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    r.block_on(async {
        let t0 = Instant::now();
        let ids = [CheckId::Listener, CheckId::Host];
        let deadline = t0 + Duration::from_secs(secs);
        let running = Arc::new(Running::default());
        let out = run(reg, &ids, &[], Arc::new(T), deadline, &running).await;
        (out, t0.elapsed())
    })
}

#[test]
fn two_slow_checks_run_concurrently() {
    // Sequential would take 600 ms of virtual time.
    let reg = [
        def(CheckId::Listener, slow, &[]),
        def(CheckId::Host, slow, &[]),
    ];
    let (out, took) = run_paused(&reg, 10);
    assert_eq!(out.len(), 2);
    assert!(out.iter().all(|o| o.status == Status::Pass));
    assert!(took < Duration::from_millis(450), "took {took:?}");
}

#[test]
fn a_hung_check_ends_at_the_deadline_and_the_others_are_kept() {
    let reg = [
        def(CheckId::Listener, hang, &[]),
        def(CheckId::Host, slow, &[]),
    ];
    let (out, took) = run_paused(&reg, 2);
    assert_eq!(out[0].status, Status::Fail);
    assert_eq!(out[0].findings[0].code, "CHECK_TIMED_OUT");
    assert_eq!(out[1].status, Status::Pass);
    assert!(took <= Duration::from_millis(2100));
}

// The panic hook is left as it is: it is process-wide, and swapping it here would hide the
// messages of other tests running in parallel. The panic's message is the expected noise.
#[test]
fn a_panicking_check_is_an_internal_error_and_the_run_goes_on() {
    let reg = [
        def(CheckId::Listener, boom, &[]),
        def(CheckId::Host, slow, &[]),
    ];
    let out = rt().block_on(run(
        &reg,
        &[CheckId::Listener, CheckId::Host],
        &[],
        Arc::new(T),
        Instant::now() + Duration::from_secs(5),
        &Arc::new(Running::default()),
    ));
    assert_eq!(out[0].status, Status::Fail);
    assert_eq!(out[0].findings[0].code, "INTERNAL_ERROR");
    assert!(out[0].findings[0].message.contains("bad input"));
    assert_eq!(out[1].status, Status::Pass);
}

#[test]
fn needs_are_run_hidden_and_failures_propagate_as_skip() {
    let reg = [
        def(CheckId::Listener, boom, &[]),
        def(CheckId::Device, dependent, &[CheckId::Listener]),
    ];
    let out = rt().block_on(run(
        &reg,
        &[CheckId::Device],
        &[],
        Arc::new(T),
        Instant::now() + Duration::from_secs(5),
        &Arc::new(Running::default()),
    ));
    assert_eq!(out.len(), 1, "only the selected check is reported");
    assert_eq!(out[0].status, Status::Skip);
    assert!(
        out[0]
            .summary
            .contains("listener check is fail (INTERNAL_ERROR)"),
        "{}",
        out[0].summary
    );
}

#[test]
fn skipped_checks_are_reported_as_skip_and_seen_by_dependents() {
    let reg = [
        def(CheckId::Listener, slow, &[]),
        def(CheckId::Device, dependent, &[CheckId::Listener]),
    ];
    let out = rt().block_on(run(
        &reg,
        &[CheckId::Listener, CheckId::Device],
        &[CheckId::Listener],
        Arc::new(T),
        Instant::now() + Duration::from_secs(5),
        &Arc::new(Running::default()),
    ));
    assert_eq!(out[0].status, Status::Skip);
    assert!(out[0].summary.contains("--skip listener"));
    assert_eq!(out[1].status, Status::Skip);
    assert!(out[1].summary.contains("listener check is skip"));
}
