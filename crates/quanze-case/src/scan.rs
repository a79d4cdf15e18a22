//! The fast reader of stored event bodies (issue 7: every case of a 1,000,000-event log
//! rebuilt in under a second on two cores).
//!
//! Parsing each body with serde into even a borrowed view costs ~2 µs, most of it field
//! dispatch, the item object read on every event and small allocations. The canonical bytes
//! are plain: no escapes, no floats, a handful of keys. So [`scan`] walks a body once, keeping
//! borrowed slices of the fields the fold reads and checking the JSON syntax of the rest
//! without building it; the item is parsed only for `open`, the one event whose item the fold
//! keeps. Whatever it does not expect (an escape in a string, a duplicate key, more than
//! [`MAX_BY`] persons, a number that is not a plain integer…) makes it answer `None`, and the
//! caller folds that body through the serde view instead, so odd but valid bytes fold the same
//! and bad bytes get the same Chinese error. Like the serde view, it does not type-check keys
//! the fold never reads (`stage`, `duty`, `evidence`…): [`crate::verify_chain`] does that.
//!
//! A leaf below the fold (`state.rs`), which reads every body through it.

use serde::Deserialize;
use serde::de::value::{BorrowedStrDeserializer, Error as ValueError};

use crate::event::{ActionView, ItemView};

/// Persons of one event kept on the stack; an event with more takes the serde path.
pub(crate) const MAX_BY: usize = 8;

/// Deeper nesting than this in a skipped value takes the serde path (no unbounded recursion).
const MAX_DEPTH: u32 = 32;

/// The fields of one body the fold reads, borrowed from the body.
pub(crate) struct Scanned<'a> {
    pub seq: u64,
    pub at: &'a str,
    by: [&'a str; MAX_BY],
    by_len: usize,
    pub action: ActionView<'a>,
    pub procedure: &'a str,
    pub state: &'a str,
    /// The item object's raw JSON, read only when the action is `open`.
    pub item: &'a [u8],
    pub target: Option<&'a str>,
}

impl<'a> Scanned<'a> {
    pub(crate) fn by(&self) -> &[&'a str] {
        self.by.get(..self.by_len).unwrap_or_default()
    }

    /// The item, read from its raw JSON (`None` when it is not an item: the caller falls back).
    pub(crate) fn item_view(&self) -> Option<ItemView<'a>> {
        serde_json::from_slice(self.item).ok()
    }
}

/// Read a body the way the fold needs it, or `None` when it is not in the plain canonical
/// form (the caller then uses the serde view).
pub(crate) fn scan(body: &[u8]) -> Option<Scanned<'_>> {
    // Only the strings the fold keeps are checked for UTF-8, as serde checks only the strings
    // it builds: validating the whole body was a sixth of the time.
    let mut p = Parser { b: body, i: 0 };
    let mut seen = 0u16;
    let mut out = Scanned {
        seq: 0,
        at: "",
        by: [""; MAX_BY],
        by_len: 0,
        action: empty_action(),
        procedure: "",
        state: "",
        item: b"",
        target: None,
    };
    p.ws();
    p.eat(b'{')?;
    p.ws();
    if p.peek()? == b'}' {
        return None;
    }
    loop {
        let key = p.raw_string()?;
        p.ws();
        p.eat(b':')?;
        p.ws();
        // A key read twice would be a serde error ("duplicate field"): leave it to serde.
        let bit = match key {
            b"seq" => {
                out.seq = p.uint()?;
                1
            }
            b"at" => {
                out.at = p.string()?;
                2
            }
            b"by" => {
                out.by_len = p.strings_into(&mut out.by)?;
                4
            }
            b"action" => {
                out.action = p.action()?;
                8
            }
            b"procedure" => {
                out.procedure = p.string()?;
                16
            }
            b"stage" => {
                p.skip(0)?;
                32
            }
            b"state" => {
                out.state = p.string()?;
                64
            }
            b"item" => {
                let from = p.i;
                p.skip(0)?;
                out.item = body.get(from..p.i)?;
                128
            }
            b"target" => {
                out.target = p.opt_string()?;
                256
            }
            b"duty_stage" => {
                p.skip(0)?;
                512
            }
            b"post" => {
                p.skip(0)?;
                1024
            }
            b"duty" => {
                p.skip(0)?;
                2048
            }
            _ => {
                p.skip(0)?;
                0
            }
        };
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        p.ws();
        match p.next()? {
            b',' => p.ws(),
            b'}' => break,
            _ => return None,
        }
    }
    p.ws();
    // Trailing bytes, or a required key missing: serde's error, not ours.
    if p.i != body.len() || seen & 255 != 255 {
        return None;
    }
    Some(out)
}

/// How many bytes of `rest` precede the first `"`, `\\` or control character (all of `rest`
/// when there is none). Most of a body is string bytes (Chinese names and duties), so they are
/// looked at eight at a time: a word has one of those bytes iff one of the three classic
/// "has a zero byte" tests fires, and only then are its bytes looked at one by one.
fn plain_len(rest: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let special = |c: &u8| *c == b'"' || *c == b'\\' || *c < 0x20;
    let mut done = 0;
    for chunk in rest.chunks_exact(8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let x = u64::from_le_bytes(w);
        let quote = x ^ (ONES * u64::from(b'"'));
        let slash = x ^ (ONES * u64::from(b'\\'));
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        if zero(quote) | zero(slash) | control != 0 {
            break;
        }
        done += 8;
    }
    let tail = rest.get(done..).unwrap_or_default();
    done + tail.iter().position(special).unwrap_or(tail.len())
}

fn empty_action<'a>() -> ActionView<'a> {
    ActionView {
        action: "".into(),
        party: None,
        complete: None,
        missing: None,
        kind: None,
        days: None,
        major: None,
        opinion: None,
        fine_fen: None,
        base_fen: None,
        decision: None,
        method: None,
        amount_fen: None,
        reason: None,
    }
}

/// A unit enum (party, seal kind, decision, service method) from its serde name.
fn unit_enum<'de, T: Deserialize<'de>>(s: &'de str) -> Option<T> {
    T::deserialize(BorrowedStrDeserializer::<ValueError>::new(s)).ok()
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i.checked_add(word.len())?;
        (self.b.get(self.i..end)? == word).then(|| self.i = end)
    }

    /// `null` (consumed, `true`) or something else (left, `false`).
    fn null(&mut self) -> bool {
        self.literal(b"null").is_some()
    }

    /// A string without escapes or control characters, as bytes (not checked for UTF-8).
    fn raw_string(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let rest = self.b.get(self.i..)?;
        let len = plain_len(rest);
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        self.i += len + 1;
        rest.get(..len)
    }

    /// A string without escapes or control characters, borrowed.
    fn string(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.raw_string()?).ok()
    }

    fn opt_string(&mut self) -> Option<Option<&'a str>> {
        if self.null() { Some(None) } else { self.string().map(Some) }
    }

    fn opt_owned(&mut self) -> Option<Option<String>> {
        Some(self.opt_string()?.map(str::to_string))
    }

    fn bool(&mut self) -> Option<bool> {
        if self.literal(b"true").is_some() { Some(true) } else { self.literal(b"false").map(|()| false) }
    }

    fn opt_bool(&mut self) -> Option<Option<bool>> {
        if self.null() { Some(None) } else { self.bool().map(Some) }
    }

    /// A JSON integer (no fraction, no exponent; those are left to serde).
    fn int(&mut self) -> Option<i128> {
        let neg = self.peek()? == b'-';
        if neg {
            self.i += 1;
        }
        let start = self.i;
        let mut v: i128 = 0;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            v = v.checked_mul(10)?.checked_add(i128::from(c - b'0'))?;
            self.i += 1;
        }
        let digits = self.i - start;
        // JSON forbids leading zeros; a fraction or exponent is not an integer field.
        if digits == 0 || digits > 20 || (digits > 1 && self.b.get(start) == Some(&b'0')) {
            return None;
        }
        if let Some(b'.' | b'e' | b'E') = self.peek() {
            return None;
        }
        Some(if neg { -v } else { v })
    }

    fn uint(&mut self) -> Option<u64> {
        u64::try_from(self.int()?).ok()
    }

    fn opt_i64(&mut self) -> Option<Option<i64>> {
        if self.null() { Some(None) } else { i64::try_from(self.int()?).ok().map(Some) }
    }

    fn opt_u32(&mut self) -> Option<Option<u32>> {
        if self.null() { Some(None) } else { u32::try_from(self.int()?).ok().map(Some) }
    }

    fn opt_enum<T: Deserialize<'a>>(&mut self) -> Option<Option<T>> {
        if self.null() { Some(None) } else { unit_enum(self.string()?).map(Some) }
    }

    /// An array of strings into a fixed buffer; its length.
    fn strings_into(&mut self, out: &mut [&'a str; MAX_BY]) -> Option<usize> {
        self.eat(b'[')?;
        self.ws();
        if self.peek()? == b']' {
            self.i += 1;
            return Some(0);
        }
        let mut n = 0;
        loop {
            *out.get_mut(n)? = self.string()?;
            n += 1;
            self.ws();
            match self.next()? {
                b',' => self.ws(),
                b']' => return Some(n),
                _ => return None,
            }
        }
    }

    fn opt_owned_strings(&mut self) -> Option<Option<Vec<String>>> {
        if self.null() {
            return Some(None);
        }
        self.eat(b'[')?;
        self.ws();
        let mut v = Vec::new();
        if self.peek()? == b']' {
            self.i += 1;
            return Some(Some(v));
        }
        loop {
            v.push(self.string()?.to_string());
            self.ws();
            match self.next()? {
                b',' => self.ws(),
                b']' => return Some(Some(v)),
                _ => return None,
            }
        }
    }

    /// The action object: every key [`ActionView`] reads, the others checked and skipped.
    fn action(&mut self) -> Option<ActionView<'a>> {
        let mut a = empty_action();
        let mut seen = 0u16;
        self.eat(b'{')?;
        self.ws();
        if self.peek()? == b'}' {
            return None;
        }
        loop {
            let key = self.raw_string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            let bit = match key {
                b"action" => {
                    a.action = self.string()?.into();
                    1
                }
                b"party" => {
                    a.party = self.opt_enum()?;
                    2
                }
                b"complete" => {
                    a.complete = self.opt_bool()?;
                    4
                }
                b"missing" => {
                    a.missing = self.opt_owned_strings()?;
                    8
                }
                b"kind" => {
                    a.kind = self.opt_enum()?;
                    16
                }
                b"days" => {
                    a.days = self.opt_u32()?;
                    32
                }
                b"major" => {
                    a.major = self.opt_bool()?;
                    64
                }
                b"opinion" => {
                    a.opinion = self.opt_owned()?;
                    128
                }
                b"fine_fen" => {
                    a.fine_fen = self.opt_i64()?;
                    256
                }
                b"base_fen" => {
                    a.base_fen = self.opt_i64()?;
                    512
                }
                b"decision" => {
                    a.decision = self.opt_enum()?;
                    1024
                }
                b"method" => {
                    a.method = self.opt_enum()?;
                    2048
                }
                b"amount_fen" => {
                    a.amount_fen = self.opt_i64()?;
                    4096
                }
                b"reason" => {
                    a.reason = self.opt_owned()?;
                    8192
                }
                _ => {
                    self.skip(1)?;
                    0
                }
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            self.ws();
            match self.next()? {
                b',' => self.ws(),
                b'}' => break,
                _ => return None,
            }
        }
        (seen & 1 == 1).then_some(a)
    }

    /// Check and pass over any JSON value.
    fn skip(&mut self, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.raw_string().map(drop),
            b'n' => self.literal(b"null"),
            b't' | b'f' => self.bool().map(drop),
            b'-' | b'0'..=b'9' => self.number(),
            b'[' => {
                self.i += 1;
                self.ws();
                if self.peek()? == b']' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.skip(depth + 1)?;
                    self.ws();
                    match self.next()? {
                        b',' => self.ws(),
                        b']' => return Some(()),
                        _ => return None,
                    }
                }
            }
            b'{' => {
                self.i += 1;
                self.ws();
                if self.peek()? == b'}' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.raw_string()?;
                    self.ws();
                    self.eat(b':')?;
                    self.ws();
                    self.skip(depth + 1)?;
                    self.ws();
                    match self.next()? {
                        b',' => self.ws(),
                        b'}' => return Some(()),
                        _ => return None,
                    }
                }
            }
            _ => None,
        }
    }

    /// Any JSON number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            self.some_digits()?;
        }
        Some(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let start = self.i;
        self.digits();
        (self.i > start).then_some(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a bad literal is a failed test
mod tests {
    use super::*;
    use crate::state::CaseState;

    #[test]
    fn plain_len_finds_the_first_special_byte_anywhere() {
        for len in 0..40 {
            for special in [b'"', b'\\', b'\n', 0u8, 0x1f] {
                for at in 0..=len {
                    let mut v: Vec<u8> = "张三a b".bytes().cycle().take(len).collect();
                    if at < len {
                        *v.get_mut(at).unwrap() = special;
                    }
                    assert_eq!(plain_len(&v), at, "{len} {special} {at}");
                }
            }
        }
        // Bytes just above the controls, and high bytes, are plain.
        assert_eq!(plain_len(&[0x20, 0x21, 0x7f, 0x80, 0xff, 0x5b, 0x5d, 0x23, 0x21]), 9);
    }

    #[test]
    fn scan_takes_plain_bodies_and_leaves_odd_ones_to_serde() {
        let body = r#"{"seq":3,"at":"2026-03-01","by":["张三","李四"],"action":{"action":"pause","reason":"鉴定"},"procedure":"penalty","stage":"investigating","state":"investigating","item":{"version":"","seq":null,"line":null,"name":"x","sub_name":null,"category":"penalty"},"duty_stage":null,"post":null,"duty":null,"target":null}"#;
        let s = scan(body.as_bytes()).unwrap();
        assert_eq!((s.seq, s.at, s.by(), s.state), (3, "2026-03-01", &["张三", "李四"][..], "investigating"));
        assert_eq!(s.action.reason.as_deref(), Some("鉴定"));
        assert!(s.item_view().is_some());
        // Pretty-printed is still plain JSON.
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert!(scan(serde_json::to_string_pretty(&v).unwrap().as_bytes()).is_some());
        for odd in [
            body.replace("鉴定", "鉴\\n定"),                       // an escape
            body.replace("\"seq\":3", "\"seq\":3.0"),              // not an integer
            body.replace("\"seq\":3", "\"seq\":03"),               // not JSON
            body.replace("\"post\":null", "\"state\":\"closed\""), // a duplicate key
            body.replace("\"state\":\"investigating\",", ""),      // a missing key
            format!("{body} x"),                                   // trailing bytes
            body.replace("张三", "甲\",\"乙\",\"丙\",\"丁\",\"戊\",\"己\",\"庚\",\"辛"), // 9 persons
            body.replace(
                "null,\"line\"",
                "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],\"line\"",
            ),
        ] {
            assert!(scan(odd.as_bytes()).is_none(), "{odd}");
        }
    }

    /// The fast reader and the serde view agree on every body the fast reader takes: key
    /// order, whitespace, absent optional keys, unknown keys, odd bytes in keys the fold
    /// does not read.
    #[test]
    fn scan_and_serde_fold_alike() {
        let open = r#"{"seq":1,"at":"2026-03-01T09:30","by":["张三"],"action":{"action":"open","item":"2","party":"individual","complete":false,"missing":["身份证","申请表"]},"procedure":"service","stage":"new","state":"received","item":{"version":"v","seq":2,"line":null,"name":"生育津贴支付","sub_name":"子项","category":"payment"},"duty_stage":"受理","post":"窗口岗","duty":"受理申请","target":null}"#;
        let extend = r#"{"seq":2,"at":"2026-03-02","by":["王局长","张三"],"action":{"action":"extend","days":10,"reason":"复杂"},"procedure":"service","stage":"received","state":"received","item":{"version":"v","seq":2,"line":null,"name":"生育津贴支付","sub_name":"子项","category":"payment"},"duty_stage":null,"post":null,"duty":null,"target":"handling"}"#;
        let sorted =
            |b: &str| serde_json::to_string(&serde_json::from_str::<serde_json::Value>(b).unwrap()).unwrap();
        let pretty = |b: &str| {
            serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(b).unwrap()).unwrap()
        };
        let variants: Vec<Vec<Vec<u8>>> = vec![
            vec![open.into(), extend.into()],
            vec![sorted(open).into(), sorted(extend).into()],
            vec![pretty(open).into(), pretty(extend).into()],
            vec![open.replace(",\"target\":null", "").into(), extend.replace("\"duty\":null,", "").into()],
            vec![
                open.replace("\"seq\":1,", "\"seq\":1,\"extra\":{\"a\":[1,-2.5e3,true,null]},").into(),
                extend.into(),
            ],
            // Bytes that are not UTF-8 where the fold does not look (serde does not look either).
            vec![open.into(), {
                let mut b = extend.as_bytes().to_vec();
                let at = extend.find("\"duty_stage\":null").unwrap() + 13;
                b.splice(at..at + 4, *b"\"\xff\"");
                b
            }],
        ];
        for bodies in variants {
            for b in &bodies {
                assert!(scan(b).is_some(), "{}", String::from_utf8_lossy(b));
            }
            let (mut fast, mut slow) = (CaseState::new(), CaseState::new());
            for b in &bodies {
                assert_eq!(fast.apply_body(b), slow.apply_body_serde(b));
            }
            assert_eq!(fast, slow);
            assert_eq!(fast.missing, ["身份证", "申请表"]);
            assert_eq!(fast.extensions.first().map(|e| e.deadline.as_str()), Some("handling"));
        }
        // Not UTF-8 where the fold reads: left to serde, which names it.
        let mut bad = open.as_bytes().to_vec();
        let at = open.find("张三").unwrap();
        bad.splice(at..at + 1, [0xff]);
        assert!(scan(&bad).is_none());
        assert!(CaseState::new().apply_body(&bad).is_err());
    }
}
