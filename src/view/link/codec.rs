//! The small codecs a link needs: base64url (RFC 4648 §5, no padding), percent-decoding of a
//! query string, and JSON merge patches (RFC 7386) between two scenarios. Written here rather
//! than pulled in as crates: together they are a few dozen lines and cost the page almost nothing.

use serde_json::{Map, Value};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Bytes as base64url without padding: only `A–Z a–z 0–9 - _`, safe in a URL as it is.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// The inverse of [`base64url_encode`]; `None` for a character outside the alphabet or a length
/// no encoder produces (a link cut short). Trailing `=` padding is tolerated.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        let mut n: u32 = 0;
        for (i, &c) in chunk.iter().enumerate() {
            let v = ALPHABET.iter().position(|&a| a == c)? as u32;
            n |= v << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Some(out)
}

/// Decodes one query-string component (`+` is a space, `%XX` a byte); `None` if it is not UTF-8
/// afterwards or a `%` is not followed by two hex digits.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes everything but the unreserved characters (RFC 3986 §2.3).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The merge patch that turns `base` into `target`; `None` when they are equal. Objects are
/// compared key by key; anything else (arrays included) is replaced whole. A key missing from
/// `target` becomes `null` (remove). Values that are themselves `null` cannot be expressed: the
/// caller checks the round trip.
pub fn merge_diff(base: &Value, target: &Value) -> Option<Value> {
    match (base, target) {
        (Value::Object(b), Value::Object(t)) => {
            let mut out = Map::new();
            for (key, tv) in t {
                match b.get(key) {
                    Some(bv) => {
                        if let Some(d) = merge_diff(bv, tv) {
                            out.insert(key.clone(), d);
                        }
                    }
                    None => {
                        out.insert(key.clone(), tv.clone());
                    }
                }
            }
            for key in b.keys().filter(|k| !t.contains_key(*k)) {
                out.insert(key.clone(), Value::Null);
            }
            (!out.is_empty()).then_some(Value::Object(out))
        }
        _ => (base != target).then(|| target.clone()),
    }
}

/// Applies a merge patch (RFC 7386) to `base` in place.
pub fn merge_apply(base: &mut Value, patch: &Value) {
    let Value::Object(p) = patch else {
        *base = patch.clone();
        return;
    };
    if !base.is_object() {
        *base = Value::Object(Map::new());
    }
    if let Value::Object(b) = base {
        for (key, value) in p {
            if value.is_null() {
                b.remove(key);
            } else {
                merge_apply(b.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..40u8 {
            let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37) ^ 0xA5).collect();
            let text = base64url_encode(&bytes);
            assert!(text.bytes().all(|c| ALPHABET.contains(&c)), "{text}");
            assert_eq!(base64url_decode(&text).as_deref(), Some(&bytes[..]));
        }
        assert_eq!(base64url_encode(b"hi!"), "aGkh");
        assert_eq!(
            base64url_decode("a"),
            None,
            "no encoder makes a 1-char tail"
        );
        assert_eq!(base64url_decode("aG*h"), None);
    }

    #[test]
    fn percent_decoding_handles_escapes_and_refuses_broken_ones() {
        assert_eq!(percent_decode("a%20b+c").as_deref(), Some("a b c"));
        assert_eq!(percent_decode("%D0%B4").as_deref(), Some("д"));
        assert_eq!(percent_decode("%"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%FF"), None, "not UTF-8");
        assert_eq!(
            percent_decode(&percent_encode("x=1&y=д")).as_deref(),
            Some("x=1&y=д")
        );
    }

    #[test]
    fn a_merge_patch_carries_only_the_changes_and_applies_back() {
        let base = json!({"a": 1, "b": {"c": 2, "d": 3}, "e": [1, 2], "gone": true});
        let target = json!({"a": 1, "b": {"c": 5, "d": 3}, "e": [1], "new": "x"});
        let patch = merge_diff(&base, &target).unwrap();
        assert_eq!(
            patch,
            json!({"b": {"c": 5}, "e": [1], "new": "x", "gone": null})
        );
        let mut applied = base.clone();
        merge_apply(&mut applied, &patch);
        assert_eq!(applied, target);
        assert_eq!(merge_diff(&target, &target), None);
    }
}
