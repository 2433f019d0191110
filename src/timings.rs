//! Phase timings for measuring builds: with `RECTIFY_TIMINGS=1` in the environment, each phase of
//! a build prints its wall time and the process's memory (now and peak) to stderr. Off by default;
//! it never changes what a build writes.

use std::sync::OnceLock;
use std::time::Instant;

/// Whether `RECTIFY_TIMINGS` is set to something other than empty or `0`.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var("RECTIFY_TIMINGS").is_ok_and(|v| !v.is_empty() && v != "0"))
}

/// A running phase; prints its line when dropped (only when timings are enabled).
pub struct Phase {
    name: &'static str,
    start: Option<(Instant, f64)>,
}

/// Starts timing the phase `name`.
pub fn phase(name: &'static str) -> Phase {
    Phase {
        name,
        start: enabled().then(|| (Instant::now(), cpu_ms())),
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some((start, cpu)) = self.start {
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            report(self.name, ms, Some(cpu_ms() - cpu));
        }
    }
}

/// Prints one phase's line: name, wall milliseconds, CPU milliseconds of all threads (user and
/// system, when known), resident and peak memory in MB.
fn report(name: &str, ms: f64, cpu: Option<f64>) {
    let (rss, peak) = memory_mb();
    let cpu = cpu.map_or("-".to_string(), |c| format!("{c:.0}"));
    eprintln!(
        "[timings] {name:<28} {ms:>9.1} ms  cpu {cpu:>7} ms  rss {rss:>6} MB  peak {peak:>6} MB"
    );
}

/// The process's CPU time so far (user + system, every thread) in milliseconds, from
/// `/proc/self/stat` (0 elsewhere); its resolution is the clock tick, usually 10 ms.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at the last ')'.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: u64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse::<u64>().ok())
        .sum();
    ticks as f64 * 10.0
}

/// The process's resident and peak resident memory in MB (0 where `/proc` is not there).
fn memory_mb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Time summed over many calls (a sink called once per batch); printed when dropped. Its CPU time
/// is the whole process's during those calls.
pub struct Tally {
    name: &'static str,
    ms: f64,
    cpu: f64,
}

impl Tally {
    pub fn new(name: &'static str) -> Tally {
        Tally {
            name,
            ms: 0.0,
            cpu: 0.0,
        }
    }

    /// Runs `f`, adding its time to the tally when timings are enabled.
    pub fn time<T>(&mut self, f: impl FnOnce() -> T) -> T {
        if !enabled() {
            return f();
        }
        let (start, cpu) = (Instant::now(), cpu_ms());
        let out = f();
        self.ms += start.elapsed().as_secs_f64() * 1000.0;
        self.cpu += cpu_ms() - cpu;
        out
    }
}

impl Drop for Tally {
    fn drop(&mut self) {
        if enabled() {
            report(self.name, self.ms, Some(self.cpu));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_and_memory_are_read_from_proc() {
        if !std::path::Path::new("/proc/self/stat").exists() {
            return;
        }
        let before = cpu_ms();
        // Enough work to pass a clock tick or two.
        let mut x = 0u64;
        let start = Instant::now();
        while start.elapsed().as_millis() < 50 {
            x = x.wrapping_mul(31).wrapping_add(std::hint::black_box(7));
        }
        std::hint::black_box(x);
        assert!(cpu_ms() >= before);
        let (rss, peak) = memory_mb();
        assert!(rss > 0 && peak >= rss, "rss {rss} peak {peak}");
    }

    #[test]
    fn a_tally_returns_what_it_timed() {
        let mut t = Tally::new("test");
        assert_eq!(t.time(|| 6 * 7), 42);
    }
}
