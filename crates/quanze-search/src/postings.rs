//! Compressed, append-only posting lists of unit ids.
//!
//! Ids are appended in increasing order (a unit gets the next id when it is first seen), so
//! a list is stored as LEB128 varints of the gaps: common grams (医保, 的) appear in most units
//! and their gaps are 1–2 bytes instead of 4. Lists are decoded sequentially, which is all
//! the intersections need.

/// One gram's posting list.
#[derive(Debug, Clone, Default)]
pub(crate) struct PostingList {
    bytes: Vec<u8>,
    last: u32,
    len: u32,
}

impl PostingList {
    /// Append `id`, which must be greater than every id already in the list; a repeated or
    /// smaller id is ignored, so lists stay sorted and free of duplicates.
    pub(crate) fn push(&mut self, id: u32) {
        if self.len > 0 && id <= self.last {
            return;
        }
        let mut gap = if self.len == 0 { id } else { id - self.last };
        loop {
            let byte = (gap & 0x7f) as u8;
            gap >>= 7;
            if gap == 0 {
                self.bytes.push(byte);
                break;
            }
            self.bytes.push(byte | 0x80);
        }
        self.last = id;
        self.len += 1;
    }

    pub(crate) fn len(&self) -> usize {
        self.len as usize
    }

    pub(crate) fn iter(&self) -> PostingIter<'_> {
        PostingIter { bytes: &self.bytes, pos: 0, current: 0, first: true }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
    }

    pub(crate) fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
    }
}

pub(crate) struct PostingIter<'a> {
    bytes: &'a [u8],
    pos: usize,
    current: u32,
    first: bool,
}

impl Iterator for PostingIter<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let mut gap: u32 = 0;
        let mut shift = 0u32;
        loop {
            let byte = *self.bytes.get(self.pos)?;
            self.pos += 1;
            // A u32 gap needs at most 5 bytes; more would be corrupt data, which the list
            // never writes, so stop rather than overflow the shift.
            if shift > 28 {
                return None;
            }
            gap |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        self.current = if self.first { gap } else { self.current.wrapping_add(gap) };
        self.first = false;
        Some(self.current)
    }
}

/// Intersect posting lists into `out` (cleared first): the ids present in all of them,
/// ascending. The rarest list is decoded first and the others only walked as far as its
/// remaining ids need; the result is filtered in place, without a list per step.
pub(crate) fn intersect(lists: &[&PostingList], out: &mut Vec<u32>) {
    out.clear();
    let Some(rarest) = lists.iter().min_by_key(|l| l.len()) else {
        return;
    };
    out.extend(rarest.iter());
    let mut rest: Vec<&PostingList> = lists.iter().copied().filter(|l| !std::ptr::eq(*l, *rarest)).collect();
    rest.sort_by_key(|l| l.len());
    for list in rest {
        if out.is_empty() {
            break;
        }
        let mut it = list.iter().peekable();
        out.retain(|&id| {
            while it.next_if(|&other| other < id).is_some() {}
            it.peek() == Some(&id)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(ids: &[u32]) -> PostingList {
        let mut l = PostingList::default();
        for &id in ids {
            l.push(id);
        }
        l
    }

    #[test]
    fn round_trips_small_and_large_gaps() {
        let ids = [0, 1, 2, 130, 20_000, 3_000_000, u32::MAX];
        assert_eq!(list(&ids).iter().collect::<Vec<_>>(), ids);
    }

    #[test]
    fn out_of_order_ids_are_ignored() {
        assert_eq!(list(&[5, 3, 5, 9]).iter().collect::<Vec<_>>(), [5, 9]);
    }

    #[test]
    fn intersection_keeps_common_ids() {
        let a = list(&[1, 3, 5, 7, 9, 11]);
        let b = list(&[3, 4, 5, 11, 12]);
        let c = list(&[0, 3, 11]);
        let mut out = vec![99];
        intersect(&[&a, &b, &c], &mut out);
        assert_eq!(out, [3, 11]);
        intersect(&[], &mut out);
        assert!(out.is_empty());
        // The same list twice is not skipped twice.
        intersect(&[&a, &a, &b], &mut out);
        assert_eq!(out, [3, 5, 11]);
    }
}
