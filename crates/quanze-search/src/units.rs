//! Interned text units and the items using each.
//!
//! Unit texts live in one arena string and are found again by hash, rather than each in
//! its own allocation: a query verifies and expands hundreds of thousands of units, and
//! walking contiguous memory instead of chasing one pointer per unit is most of its speed.

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashMap};

const NO_UNIT: u32 = u32::MAX;

/// Texts by id.
#[derive(Debug, Default)]
pub(crate) struct UnitTexts {
    arena: String,
    /// Byte range of each unit in `arena`.
    spans: Vec<(usize, usize)>,
    /// Live items using each unit.
    refs: Vec<u32>,
    /// Hash of a text → the newest unit with that hash; older ones follow `same_hash`.
    by_hash: FxHashMap<u64, u32>,
    same_hash: Vec<u32>,
}

impl UnitTexts {
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }

    pub(crate) fn text(&self, unit: u32) -> &str {
        self.spans.get(unit as usize).and_then(|&(s, e)| self.arena.get(s..e)).unwrap_or_default()
    }

    pub(crate) fn find(&self, text: &str) -> Option<u32> {
        let mut id = *self.by_hash.get(&FxBuildHasher.hash_one(text))?;
        while id != NO_UNIT {
            if self.text(id) == text {
                return Some(id);
            }
            id = self.same_hash.get(id as usize).copied().unwrap_or(NO_UNIT);
        }
        None
    }

    /// Store a text not stored yet; returns its id.
    pub(crate) fn push(&mut self, text: &str) -> u32 {
        let id = self.spans.len() as u32;
        let start = self.arena.len();
        self.arena.push_str(text);
        self.spans.push((start, self.arena.len()));
        self.refs.push(0);
        let hash = FxBuildHasher.hash_one(text);
        let previous = self.by_hash.insert(hash, id).unwrap_or(NO_UNIT);
        self.same_hash.push(previous);
        id
    }

    pub(crate) fn add_ref(&mut self, unit: u32) {
        if let Some(r) = self.refs.get_mut(unit as usize) {
            *r += 1;
        }
    }

    pub(crate) fn drop_ref(&mut self, unit: u32) {
        if let Some(r) = self.refs.get_mut(unit as usize) {
            *r = r.saturating_sub(1);
        }
    }

    pub(crate) fn text_bytes(&self) -> usize {
        self.arena.len()
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.arena.capacity()
            + self.spans.capacity() * std::mem::size_of::<(usize, usize)>()
            + self.refs.capacity() * 4
            + self.same_hash.capacity() * 4
            + self.by_hash.capacity() * (std::mem::size_of::<(u64, u32)>() + 1)
    }

    pub(crate) fn shrink(&mut self) {
        self.arena.shrink_to_fit();
        self.spans.shrink_to_fit();
        self.refs.shrink_to_fit();
        self.same_hash.shrink_to_fit();
        self.by_hash.shrink_to_fit();
    }
}

/// For each unit, the items using it, as `item << 2 | field slot`, ascending.
///
/// Most entries sit in one frozen array indexed by offsets; entries added since the last
/// freeze sit in small per-unit lists, merged in when they grow to the frozen size.
#[derive(Debug, Default)]
pub(crate) struct UnitUsers {
    offsets: Vec<u32>,
    frozen: Vec<u32>,
    recent: Vec<Vec<u32>>,
    recent_len: usize,
}

/// Below this many recent entries a freeze is not worth its copy.
const MIN_FREEZE: usize = 1 << 16;

impl UnitUsers {
    /// Make room for a new unit.
    pub(crate) fn push_unit(&mut self) {
        self.recent.push(Vec::new());
    }

    pub(crate) fn add(&mut self, unit: u32, packed: u32) {
        if let Some(list) = self.recent.get_mut(unit as usize) {
            list.push(packed);
            self.recent_len += 1;
        }
        if self.recent_len > MIN_FREEZE.max(self.frozen.len()) {
            self.freeze();
        }
    }

    /// The users of a unit: frozen ones, then recent ones (all ascending, since items get
    /// increasing ids and a freeze takes every item added so far).
    pub(crate) fn of(&self, unit: u32) -> (&[u32], &[u32]) {
        let u = unit as usize;
        let frozen = match (self.offsets.get(u), self.offsets.get(u + 1)) {
            (Some(&s), Some(&e)) => self.frozen.get(s as usize..e as usize).unwrap_or_default(),
            _ => &[],
        };
        let recent = self.recent.get(u).map(Vec::as_slice).unwrap_or_default();
        (frozen, recent)
    }

    /// Merge recent entries into the frozen array.
    pub(crate) fn freeze(&mut self) {
        let units = self.recent.len();
        let mut offsets = Vec::with_capacity(units + 1);
        let mut frozen = Vec::with_capacity(self.frozen.len() + self.recent_len);
        offsets.push(0u32);
        for u in 0..units {
            let (old, recent) = self.of(u as u32);
            frozen.extend_from_slice(old);
            frozen.extend_from_slice(recent);
            offsets.push(frozen.len() as u32);
        }
        for list in &mut self.recent {
            *list = Vec::new();
        }
        self.offsets = offsets;
        self.frozen = frozen;
        self.recent_len = 0;
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * 4
            + self.frozen.capacity() * 4
            + self.recent.capacity() * std::mem::size_of::<Vec<u32>>()
            + self.recent.iter().map(|l| l.capacity() * 4).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_found_again() {
        let mut t = UnitTexts::default();
        let a = t.push("医保");
        let b = t.push("罚款");
        assert_eq!(t.find("医保"), Some(a));
        assert_eq!(t.find("罚款"), Some(b));
        assert_eq!(t.find("立案"), None);
        assert_eq!(t.text(b), "罚款");
        assert_eq!(t.text(99), "");
    }

    #[test]
    fn users_survive_freezing() {
        let mut u = UnitUsers::default();
        u.push_unit();
        u.push_unit();
        u.add(0, 1);
        u.add(1, 2);
        u.freeze();
        u.add(0, 5);
        let (frozen, recent) = u.of(0);
        assert_eq!((frozen, recent), (&[1][..], &[5][..]));
        u.freeze();
        assert_eq!(u.of(0), (&[1, 5][..], &[][..]));
        assert_eq!(u.of(1), (&[2][..], &[][..]));
        assert_eq!(u.of(7), (&[][..], &[][..]));
    }
}
