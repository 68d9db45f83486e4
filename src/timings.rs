//! `--timings`: how long each step of a run took (compile, PDF, model,
//! bibliography, links, each rule, report), printed on standard error at the
//! end, so that a slow audit says where its time goes.

use std::io::{self, Write};
use std::time::{Duration, Instant};

/// The steps of one run, in order. Disabled, it only runs the closures.
#[derive(Debug)]
pub struct Timings {
    enabled: bool,
    start: Instant,
    steps: Vec<(String, Duration)>,
}

impl Timings {
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            start: Instant::now(),
            steps: Vec::new(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Runs `f` as the step `name`.
    pub fn time<T>(&mut self, name: &str, f: impl FnOnce() -> T) -> T {
        if !self.enabled {
            return f();
        }
        let start = Instant::now();
        let value = f();
        self.record(name, start.elapsed());
        value
    }

    /// Records a step measured elsewhere (a rule, timed by the rule runner).
    pub fn record(&mut self, name: &str, took: Duration) {
        if self.enabled {
            self.steps.push((name.to_string(), took));
        }
    }

    /// `timings:` then a line a step, and the whole run.
    pub fn print(&self, out: &mut dyn Write) -> io::Result<()> {
        if !self.enabled {
            return Ok(());
        }
        let width = self.steps.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        writeln!(out, "timings:")?;
        for (name, took) in &self.steps {
            writeln!(out, "  {name:<width$}  {:>9.1} ms", millis(*took))?;
        }
        writeln!(
            out,
            "  {:<width$}  {:>9.1} ms",
            "total",
            millis(self.start.elapsed())
        )
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_print_in_order_with_the_total_last() {
        let mut timings = Timings::new(true);
        assert_eq!(timings.time("compile", || 2 + 2), 4);
        timings.record("rule unknown-key", Duration::from_micros(1500));
        let mut out = Vec::new();
        timings.print(&mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "timings:");
        assert!(lines[1].trim_start().starts_with("compile "), "{out}");
        assert!(lines[2].ends_with("1.5 ms"), "{out}");
        assert!(lines[3].trim_start().starts_with("total "), "{out}");
    }

    #[test]
    fn disabled_timings_record_and_print_nothing() {
        let mut timings = Timings::new(false);
        timings.record("x", Duration::from_secs(1));
        let mut out = Vec::new();
        timings.print(&mut out).unwrap();
        assert!(out.is_empty());
    }
}
