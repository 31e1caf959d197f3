//! The world's one source of randomness: Xoshiro256++, seeded through SplitMix64.
//!
//! A run must be a pure function of (scenario, seed, commands), natively and in WASM, today and
//! after a crate upgrade. So the algorithm is written out here (Blackman and Vigna, "Scrambled
//! linear pseudorandom number generators", 2018; the same generator madsim uses) rather than taken
//! from `StdRng`, whose algorithm may change, or `SmallRng`, which differs by platform.
//!
//! Every draw names what it is for ([`Choice`]), so a reader of the code can list every place the
//! seed can change an outcome.

use serde::{Deserialize, Serialize};

/// Every random choice the model makes. The seed only matters through these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Choice {
    /// Extra one-way latency on a message, in `0..=jitter_ms` (network.jitter_ms).
    LatencyJitter,
    /// The ±20 % jitter Kafka adds to `retry.backoff.ms` (CommonClientConfigs, KIP-580).
    RetryBackoffJitter,
    /// The partition the sticky partitioner picks for key-less records (KIP-480, KIP-794).
    StickyPartition,
}

/// Xoshiro256++ (public domain reference: <https://prng.di.unimi.it/xoshiro256plusplus.c>).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// Seeds the four state words from SplitMix64, as the reference implementation recommends.
    pub fn seed_from_u64(seed: u64) -> Self {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        Self {
            s: [next(), next(), next(), next()],
        }
    }

    /// Builds the generator from raw state (for the reference test vector).
    pub fn from_state(s: [u64; 4]) -> Self {
        Self { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A value in `0..bound` for the named choice (`bound` of 0 gives 0). Lemire's multiply-shift
    /// keeps it free of division and identical on every platform.
    pub fn below(&mut self, _choice: Choice, bound: u64) -> u64 {
        if bound == 0 {
            return 0;
        }
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro256plusplus_matches_the_reference_vector() {
        // From the reference C code with state [1, 2, 3, 4] (also rand_xoshiro's test).
        let mut rng = Rng::from_state([1, 2, 3, 4]);
        let expected: [u64; 10] = [
            41943041,
            58720359,
            3588806011781223,
            3591011842654386,
            9228616714210784205,
            9973669472204895162,
            14011001112246962877,
            12406186145184390807,
            15849039046786891736,
            10450023813501588000,
        ];
        for e in expected {
            assert_eq!(rng.next_u64(), e);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_draws() {
        let mut a = Rng::seed_from_u64(7);
        let mut b = Rng::seed_from_u64(7);
        for _ in 0..100 {
            assert_eq!(
                a.below(Choice::LatencyJitter, 10),
                b.below(Choice::LatencyJitter, 10)
            );
        }
    }

    #[test]
    fn draws_stay_below_the_bound() {
        let mut rng = Rng::seed_from_u64(1);
        assert!((0..1000).all(|_| rng.below(Choice::StickyPartition, 6) < 6));
        assert_eq!(rng.below(Choice::StickyPartition, 0), 0);
    }
}
