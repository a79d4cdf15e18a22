//! Rebuilding case states from stored bytes, fast (issue 7: every case of a 1,000,000-event log
//! in under a second on two cores): [`rebuild_all`] folds many cases over threads, each
//! thread a contiguous run of cases, each body read by the fast reader (`scan.rs`).

use crate::event::ChainBreak;
use crate::state::CaseState;

/// Rebuild the state of many cases from their stored bodies, each case's bodies in `seq`
/// order, on `threads` threads (at least one; the caller knows the machine, this crate does
/// not look). The cases are cut into contiguous runs of about the same number of events, one
/// per thread, so the answer is in the order given whatever the thread count. A case whose
/// bytes cannot be folded gets its [`ChainBreak`]; the others are unaffected.
pub fn rebuild_all<K, B>(cases: &[(K, &[B])], threads: usize) -> Vec<(K, Result<CaseState, ChainBreak>)>
where
    K: Clone + Send + Sync,
    B: AsRef<[u8]> + Sync,
{
    let fold = |run: &[(K, &[B])]| -> Vec<(K, Result<CaseState, ChainBreak>)> {
        run.iter().map(|(k, bodies)| (k.clone(), CaseState::fold_bodies(bodies))).collect()
    };
    let runs = split_runs(cases, threads.max(1), |(_, b)| b.len());
    if runs.len() <= 1 {
        return fold(cases);
    }
    std::thread::scope(|s| {
        let (first, rest) = runs.split_first().unwrap_or((&cases, &[]));
        let handles: Vec<_> = rest.iter().map(|run| s.spawn(|| fold(run))).collect();
        // The calling thread takes the first run rather than waiting idle.
        let mut out = fold(first);
        out.reserve(cases.len().saturating_sub(out.len()));
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                // A fold does not panic on bad bytes (they are ChainBreaks); a panic is a bug
                // and is passed on as it is.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// Cut `items` into at most `n` contiguous runs of about the same total `len`.
fn split_runs<T>(items: &[T], n: usize, len: impl Fn(&T) -> usize) -> Vec<&[T]> {
    let total: usize = items.iter().map(&len).sum();
    let per = total.div_ceil(n).max(1);
    let mut runs = Vec::with_capacity(n);
    let (mut start, mut acc) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        acc += len(item);
        if acc >= per && runs.len() + 1 < n {
            runs.push(items.get(start..=i).unwrap_or_default());
            start = i + 1;
            acc = 0;
        }
    }
    if start < items.len() {
        runs.push(items.get(start..).unwrap_or_default());
    }
    runs
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a bad literal is a failed test
mod tests {
    use super::*;

    #[test]
    fn runs_are_contiguous_and_cover_every_case() {
        let bodies: Vec<Vec<u8>> = vec![Vec::new(); 10];
        let cases: Vec<(usize, &[Vec<u8>])> =
            (0..7).map(|i| (i, bodies.get(..(i % 3) + 1).unwrap())).collect();
        for n in 1..10 {
            let runs = split_runs(&cases, n, |(_, b)| b.len());
            assert!(runs.len() <= n && !runs.is_empty());
            let flat: Vec<usize> = runs.iter().flat_map(|r| r.iter().map(|(k, _)| *k)).collect();
            assert_eq!(flat, (0..7).collect::<Vec<_>>());
        }
        assert!(split_runs::<usize>(&[], 2, |_| 1).is_empty());
    }

    #[test]
    fn a_case_that_does_not_fold_leaves_the_others_alone() {
        let good = r#"{"seq":1,"at":"2026-03-01","by":["张三"],"action":{"action":"open","item":null,"party":"unit","complete":null,"missing":[]},"procedure":"penalty","stage":"new","state":"clue","item":{"version":"","seq":null,"line":null,"name":"x","sub_name":null,"category":"penalty"},"duty_stage":null,"post":null,"duty":null,"target":null}"#;
        let bad = good.replace("2026-03-01", "2026-13-01");
        let (good, bad) = (vec![good.as_bytes()], vec![good.as_bytes(), bad.as_bytes()]);
        let cases: Vec<(u32, &[&[u8]])> =
            (0..9).map(|i| (i, if i == 4 { &bad[..] } else { &good[..] })).collect();
        for threads in [0, 1, 2, 3, 16] {
            let out = rebuild_all(&cases, threads);
            assert_eq!(out.iter().map(|(k, _)| *k).collect::<Vec<_>>(), (0..9).collect::<Vec<_>>());
            for (k, s) in out {
                match s {
                    Ok(s) => assert!(k != 4 && s.state == "clue" && s.item.is_some()),
                    Err(e) => assert!(k == 4 && e.seq == 1 && e.reason.contains("时间"), "{e}"),
                }
            }
        }
    }
}
