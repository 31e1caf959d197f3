//! Thousands of random and mutated links and scenario files from a seeded generator: the decoder
//! never panics, and answers either a state that round-trips or a message saying what was wrong.

use delivery_lab::model::catalogue::CATALOGUE;
use delivery_lab::model::commands::{Command, Fault};
use delivery_lab::model::presets::PRESETS;
use delivery_lab::model::{NodeId, Scenario, World};
use delivery_lab::view::i18n::Lang;
use delivery_lab::view::link::codec::base64url_encode;
use delivery_lab::view::link::{decode, encode, CompareLink, LinkState};
use delivery_lab::view::share_text::link_error_message;

/// xorshift64*: a fixed algorithm, so a failure replays from its printed seed.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NOISE: &[&str] = &[
    "&",
    "=",
    "%",
    "%2",
    "%E2%80",
    "+",
    "v=2",
    "v=1",
    "t=",
    "t=-5",
    "speed=NaN",
    "speed=1e309",
    "scenario=",
    "patch=",
    "faults=",
    "json=",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "null",
    "9999999999999999999999",
    "д",
    "A",
    "_",
    "-",
    "==",
    "embed=1",
    "&&&",
];

/// Links this build writes: catalogue scenarios, changed, with faults, cursor and speed.
fn valid_links(g: &mut Gen) -> Vec<String> {
    let mut out = Vec::new();
    for (name, json) in CATALOGUE {
        let mut s = Scenario::from_json(json).unwrap_or_else(|e| panic!("{name}: {e}"));
        out.push(encode(&LinkState::new(s.clone())));
        s.seed = g.next() % 1000;
        s.network.latency_ms = 1 + g.next() % 500;
        let node = NodeId::Broker(1 + (g.next() % u64::from(s.brokers.count)) as u32);
        let state = LinkState {
            added: vec![Fault::at(
                g.next() % s.duration_ms.max(1),
                Command::Crash {
                    node,
                    mode: Default::default(),
                },
            )],
            cursor_ms: g.next() % s.duration_ms.max(1),
            speed: 0.5,
            scenario: s,
            compare: None,
        };
        let q = encode(&state);
        assert_eq!(decode(&q).as_ref(), Ok(&state), "{q}");
        out.push(q);
        // The same side by side, with a fault given while comparing in run B only.
        let ids: Vec<&str> = PRESETS.iter().map(|p| p.id).collect();
        let pick = |g: &mut Gen| ids[(g.next() % ids.len() as u64) as usize];
        let mut compare = CompareLink::new(pick(g), pick(g));
        compare.added[1] = state.added.clone();
        let state = LinkState {
            compare: Some(compare),
            ..state
        };
        let q = encode(&state);
        assert_eq!(decode(&q).as_ref(), Ok(&state), "{q}");
        out.push(q);
    }
    out
}

fn mutate(g: &mut Gen, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..=g.below(4) {
        let at = g.below(chars.len() + 1);
        match g.below(6) {
            0 => chars.truncate(at),
            1 if at < chars.len() => {
                chars.remove(at);
            }
            2 if at < chars.len() => {
                chars[at] = *g.pick(&['A', 'z', '0', '-', '_', '%', '=', '&', '"', '9'])
            }
            3 => chars.splice(at..at, g.pick(NOISE).chars()).for_each(drop),
            4 => {
                let end = (at + g.below(20)).min(chars.len());
                let copy: Vec<char> = chars[at..end].to_vec();
                chars.splice(at..at, copy).for_each(drop);
            }
            _ => chars.reverse(),
        }
    }
    chars.into_iter().collect()
}

fn check(query: &str, seed: u64, runs: &mut u32) {
    match decode(query) {
        Ok(state) => {
            // Whatever opens must reopen as itself.
            assert_eq!(
                decode(&encode(&state)).as_ref(),
                Ok(&state),
                "seed {seed}: {query}"
            );
            let small = state.scenario.duration_ms <= 20_000
                && state
                    .scenario
                    .producers
                    .iter()
                    .all(|p| p.workload.records <= 50);
            if small && *runs < 150 {
                *runs += 1;
                let mut s = state.scenario.clone();
                s.faults.extend(state.added.iter().cloned());
                let end = s.duration_ms;
                World::new(s).run_until(end);
            }
        }
        Err(e) => {
            for lang in Lang::ALL {
                assert!(
                    !link_error_message(lang, &e).trim().is_empty(),
                    "seed {seed}: {e:?}"
                );
            }
        }
    }
}

#[test]
fn random_and_mutated_links_open_or_say_why() {
    let mut runs = 0;
    for seed in 1..=4000u64 {
        let mut g = Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let links = valid_links_cached();
        let query = match seed % 4 {
            0 => (0..g.below(8)).map(|_| *g.pick(NOISE)).collect::<String>(),
            1 => {
                let original = CATALOGUE[g.below(CATALOGUE.len())].1;
                let json = mutate(&mut g, original);
                format!("v=1&json={}", base64url_encode(json.as_bytes()))
            }
            _ => {
                let original = g.pick(links).clone();
                mutate(&mut g, &original)
            }
        };
        check(&query, seed, &mut runs);
    }
}

#[test]
fn mutated_scenario_files_parse_or_name_a_field() {
    for seed in 1..=3000u64 {
        let mut g = Gen(seed.wrapping_mul(0xD1B5_4A32_D192_ED03) | 1);
        let (_, json) = g.pick(CATALOGUE);
        let text = mutate(&mut g, json);
        if let Err(e) = Scenario::from_json(&text) {
            assert!(!e.to_string().is_empty(), "seed {seed}");
        }
    }
}

fn valid_links_cached() -> &'static [String] {
    use std::sync::OnceLock;
    static LINKS: OnceLock<Vec<String>> = OnceLock::new();
    LINKS.get_or_init(|| valid_links(&mut Gen(7)))
}
