//! The registries' published limits, kept by the client: how many requests
//! may be open at once and how soon one may start after another, per pool
//! (Crossref grants lookups and searches different budgets, and more to a
//! client that gives a contact address). A request waits for a slot and for
//! its turn; answers from the cache take neither.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Whose budget a request spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pool {
    /// Crossref's lookups of one work; doi.org's content negotiation for a
    /// Crossref DOI is answered by Crossref, so it spends the same budget.
    Crossref,
    /// Crossref's lists (`/works?query…`).
    CrossrefSearch,
    OpenAlex,
    OpenLibrary,
}

impl Pool {
    /// Requests at once, and the least time between two starts: Crossref's
    /// `x-concurrency-limit` and `x-rate-limit-limit` (polite: 3 at once and
    /// 10/s for a work, 3/s for a list; public: 1 at once, 5/s and 1/s);
    /// OpenAlex allows 100/s (a tenth is asked); Open Library asks clients
    /// that identify themselves to stay under 3/s. Each interval leaves a
    /// tenth of margin: requests leave on time but arrive with jitter.
    pub fn limits(self, polite: bool) -> (usize, Duration) {
        let ms = Duration::from_millis;
        match (self, polite) {
            (Pool::Crossref, true) => (3, ms(110)),
            (Pool::Crossref, false) => (1, ms(220)),
            (Pool::CrossrefSearch, true) => (3, ms(367)),
            (Pool::CrossrefSearch, false) => (1, ms(1100)),
            (Pool::OpenAlex, _) => (5, ms(110)),
            (Pool::OpenLibrary, _) => (2, ms(367)),
        }
    }
}

/// The gates of every pool.
pub struct Pace {
    polite: bool,
    gates: Mutex<HashMap<Pool, std::sync::Arc<Gate>>>,
}

struct Gate {
    slots: usize,
    interval: Duration,
    state: Mutex<State>,
    freed: Condvar,
}

struct State {
    open: usize,
    next: Instant,
}

/// A request's place in its pool, given back when dropped.
pub struct Slot {
    gate: std::sync::Arc<Gate>,
    /// The turn it was given (it was not let go before).
    pub start: Instant,
}

impl Pace {
    pub fn new(polite: bool) -> Self {
        Self {
            polite,
            gates: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a free slot in `pool` and for the pool's next turn.
    pub fn enter(&self, pool: Pool) -> Slot {
        let gate = {
            let mut gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
            gates
                .entry(pool)
                .or_insert_with(|| {
                    let (slots, interval) = pool.limits(self.polite);
                    std::sync::Arc::new(Gate {
                        slots,
                        interval,
                        state: Mutex::new(State {
                            open: 0,
                            next: Instant::now(),
                        }),
                        freed: Condvar::new(),
                    })
                })
                .clone()
        };
        let start = {
            let mut state = gate.lock();
            while state.open >= gate.slots {
                state = gate.freed.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            state.open += 1;
            let start = state.next.max(Instant::now());
            state.next = start + gate.interval;
            start
        };
        std::thread::sleep(start.saturating_duration_since(Instant::now()));
        Slot { gate, start }
    }
}

impl Gate {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.gate.lock().open -= 1;
        self.gate.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Eight requests through a pool of one slot: never two open at once,
    /// and no two turns closer than the pool's interval (the turns given,
    /// not the clock read after them: this test times nothing).
    #[test]
    fn a_pool_keeps_its_slots_and_its_pace() {
        let pace = Pace::new(false);
        let open = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let starts = Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    let slot = pace.enter(Pool::Crossref);
                    starts.lock().unwrap().push(slot.start);
                    let now = open.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(5));
                    open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 1);
        let mut starts = starts.into_inner().unwrap();
        starts.sort();
        let (_, interval) = Pool::Crossref.limits(false);
        for pair in starts.windows(2) {
            assert!(pair[1] - pair[0] >= interval, "{:?}", pair[1] - pair[0]);
        }
        // The polite pool opens three at once.
        assert_eq!(Pool::Crossref.limits(true).0, 3);
    }
}
