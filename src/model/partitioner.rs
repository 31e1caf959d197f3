//! Which partition a record goes to: Kafka's default partitioner (spec §7.1).
//!
//! A keyed record goes to `toPositive(murmur2(key)) % numPartitions`
//! (`KafkaProducer.partition`, `BuiltInPartitioner`, `Utils.murmur2`); so the same key always
//! lands in the same partition while the partition count is unchanged. murmur2 is ported with
//! Java's wrapping `int` arithmetic and checked against Kafka's own test vectors
//! (`UtilsTest.testMurmur2`).

/// Kafka's murmur2 (`org.apache.kafka.common.utils.Utils#murmur2`), returning Java's `int`.
pub fn murmur2(data: &[u8]) -> i32 {
    let length = data.len() as u32;
    let seed: u32 = 0x9747_b28c;
    let m: u32 = 0x5bd1_e995;
    let r = 24;
    let mut h: u32 = seed ^ length;
    let chunks = data.chunks_exact(4);
    let tail = chunks.remainder();
    for c in chunks {
        let mut k = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        k = k.wrapping_mul(m);
        k ^= k >> r;
        k = k.wrapping_mul(m);
        h = h.wrapping_mul(m);
        h ^= k;
    }
    // The Java switch falls through from case 3 to case 1.
    if tail.len() >= 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if !tail.is_empty() {
        h ^= u32::from(tail[0]);
        h = h.wrapping_mul(m);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(m);
    h ^= h >> 15;
    h as i32
}

/// `Utils.toPositive`: clears the sign bit (not `abs`, which overflows on `i32::MIN`).
pub fn to_positive(x: i32) -> u32 {
    (x & 0x7fff_ffff) as u32
}

/// The partition of a keyed record: `toPositive(murmur2(key)) % partitions`.
pub fn partition_for_key(key: &str, partitions: u32) -> u32 {
    to_positive(murmur2(key.as_bytes())) % partitions.max(1)
}

/// Java's `String.hashCode` (ASCII/BMP keys), used to place a group's coordinator:
/// `abs(groupId.hashCode) % offsets.topic.num.partitions` (`GroupCoordinatorService`).
pub fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, c| {
        h.wrapping_mul(31).wrapping_add(i32::from(c as i16))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur2_matches_kafkas_test_vectors() {
        let vectors: [(&str, i32); 6] = [
            ("21", -973932308),
            ("foobar", -790332482),
            ("a-little-bit-long-string", -985981536),
            ("a-little-bit-longer-string", -1486304829),
            (
                "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58897971,
            ),
            ("abc", 479470107),
        ];
        for (key, hash) in vectors {
            assert_eq!(murmur2(key.as_bytes()), hash, "murmur2({key:?})");
        }
    }

    #[test]
    fn keys_map_to_the_partitions_in_the_spec_table() {
        let table: [(&str, u32, u32); 9] = [
            ("a", 1, 4),
            ("b", 2, 2),
            ("c", 1, 4),
            ("user-1", 2, 2),
            ("user-2", 2, 2),
            ("order-42", 0, 0),
            ("key0", 1, 4),
            ("key1", 2, 2),
            ("key2", 2, 5),
        ];
        for (key, p3, p6) in table {
            assert_eq!(partition_for_key(key, 3), p3, "{key} over 3");
            assert_eq!(partition_for_key(key, 6), p6, "{key} over 6");
        }
    }

    #[test]
    fn java_string_hash_matches_java() {
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("g"), 103);
        assert_eq!(java_string_hash("hello"), 99162322);
    }
}
