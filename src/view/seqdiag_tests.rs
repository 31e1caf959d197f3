//! Tests of the sequence diagram: what it holds, and that its SVG is well formed.

use super::*;
use crate::model::{catalogue, World};
use crate::view::i18n::{check_catalogue, Lang};
use crate::view::seqdiag_look::{escape, SeqText};
use crate::view::seqdiag_svg::sequence_svg;

fn story(name: &str) -> (Scenario, World) {
    let s = catalogue::scenario(name).unwrap().unwrap();
    let mut w = World::new(s.clone());
    w.run_until(s.duration_ms);
    (s, w)
}

fn count(trace: &[TraceEvent], until: Millis, f: impl Fn(&EventKind) -> bool) -> usize {
    trace
        .iter()
        .filter(|e| e.at_ms <= until && f(&e.kind))
        .count()
}

/// The `<g>` groups of the SVG whose class list holds `class`.
fn groups<'a>(svg: &'a str, class: &str) -> Vec<&'a str> {
    svg.split("<g class=\"")
        .skip(1)
        .filter(|g| {
            g.split('"')
                .next()
                .is_some_and(|classes| classes.split(' ').any(|c| c == class))
        })
        .map(|g| g.split("</g>").next().unwrap_or_default())
        .collect()
}

/// A small XML checker: one root, balanced tags, quoted attributes without duplicates, and no
/// raw `<`, `>` or unknown `&` entity in text or attribute values.
fn check_xml(svg: &str) -> Result<(), String> {
    fn check_text(t: &str) -> Result<(), String> {
        if t.contains('<') || t.contains('>') {
            return Err(format!("raw < or > in {t:?}"));
        }
        for (i, _) in t.match_indices('&') {
            let rest = &t[i + 1..];
            let entity = rest.split(';').next().unwrap_or_default();
            let known = ["amp", "lt", "gt", "quot", "apos"].contains(&entity)
                || (entity.starts_with('#') && rest.contains(';'));
            if !known {
                return Err(format!("bad entity in {t:?}"));
            }
        }
        Ok(())
    }
    let body = match svg.strip_prefix("<?xml") {
        Some(rest) => &rest[rest.find("?>").ok_or("unclosed prologue")? + 2..],
        None => svg,
    };
    let mut stack: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        check_text(&rest[..open])?;
        let tag_end = rest[open..].find('>').ok_or("unclosed tag")? + open;
        let tag = &rest[open + 1..tag_end];
        rest = &rest[tag_end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(top) if top == name.trim() => continue,
                other => return Err(format!("</{name}> closes {other:?}")),
            }
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name = tag.split_whitespace().next().ok_or("empty tag")?;
        let mut attrs = &tag[name.len()..];
        let mut seen = Vec::new();
        while !attrs.trim().is_empty() {
            let (key, after) = attrs
                .split_once("=\"")
                .ok_or(format!("unquoted in <{tag}>"))?;
            let (value, after) = after.split_once('"').ok_or("unclosed attribute")?;
            check_text(value)?;
            let key = key.trim();
            if seen.contains(&key) {
                return Err(format!("duplicate attribute {key} in <{name}>"));
            }
            seen.push(key);
            attrs = after;
        }
        if stack.is_empty() {
            roots += 1;
        }
        if !self_closing {
            stack.push(name);
        }
    }
    check_text(rest.trim())?;
    match (stack.is_empty(), roots) {
        (true, 1) => Ok(()),
        _ => Err(format!("unbalanced: {stack:?}, {roots} roots")),
    }
}

#[test]
fn the_checker_refuses_broken_xml() {
    assert!(check_xml("<svg><g></svg>").is_err());
    assert!(check_xml("<svg><text>a < b</text></svg>").is_err());
    assert!(check_xml("<svg><text>a & b</text></svg>").is_err());
    assert!(check_xml("<svg a=\"1\" a=\"2\"/>").is_err());
    assert!(check_xml("<svg/><svg/>").is_err());
    assert!(check_xml("<?xml version=\"1.0\"?>\n<svg><text>a &amp; b</text></svg>").is_ok());
}

#[test]
fn every_catalogue_story_draws_a_well_formed_svg_in_both_languages() {
    for (name, _) in catalogue::CATALOGUE {
        let (s, w) = story(name);
        for lang in Lang::ALL {
            let svg = sequence_svg(&s, w.trace(), s.duration_ms, lang);
            check_xml(&svg).unwrap_or_else(|e| panic!("{name} {lang:?}: {e}"));
            assert!(svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns="));
        }
    }
}

#[test]
fn a_leader_crash_story_has_one_lifeline_per_node_and_the_controller() {
    let (s, w) = story("s02-acks-1-leader-crash");
    let svg = sequence_svg(&s, w.trace(), s.duration_ms, Lang::En);
    let lifelines: Vec<&str> = svg
        .match_indices("<g class=\"sd-lifeline\" data-node=\"")
        .map(|(i, m)| svg[i + m.len()..].split('"').next().unwrap())
        .collect();
    assert_eq!(lifelines, ["controller", "P1", "B1", "B2", "B3", "C1"]);
    let d = Diagram::of(&s, w.trace(), s.duration_ms, MAX_ROWS);
    assert!(d.marks.iter().any(|m| matches!(m.mark, SeqMark::Crash(_))));
    assert!(d.marks.iter().any(|m| m.mark == SeqMark::Restart));
    assert!(d
        .marks
        .iter()
        .any(|m| matches!(m.mark, SeqMark::Leader { .. }) && m.node != NodeId::Broker(1)));
    assert!(!groups(&svg, "sd-crash").is_empty() && !groups(&svg, "sd-election").is_empty());
    // B1 is down from its crash to its restart.
    let spans = d.spans();
    assert!(spans
        .iter()
        .any(|sp| sp.node == NodeId::Broker(1) && !sp.paused && sp.to_row.is_some()));
}

#[test]
fn a_quiet_story_draws_no_controller() {
    let (s, w) = story("hello");
    let d = Diagram::of(&s, w.trace(), s.duration_ms, MAX_ROWS);
    assert_eq!(
        d.lifelines,
        [
            NodeId::Producer(1),
            NodeId::Broker(1),
            NodeId::Broker(2),
            NodeId::Broker(3),
            NodeId::Consumer(1)
        ]
    );
}

#[test]
fn every_delivered_message_is_an_arrow_from_its_sender_to_its_receiver() {
    let (s, w) = story("hello");
    let until = 3000;
    let trace = w.trace();
    let delivered = count(trace, until, |k| {
        matches!(k, EventKind::MessageDelivered { .. })
    });
    let d = Diagram::of(&s, trace, until, MAX_ROWS);
    assert!(d.left_out.is_none());
    let arrows: Vec<&Arrow> = d
        .arrows
        .iter()
        .filter(|a| a.fate == Fate::Delivered)
        .collect();
    assert_eq!(arrows.len(), delivered);
    for a in &arrows {
        let (row, at) = a.end.unwrap();
        assert!(
            row > a.sent_row && at >= a.sent_ms,
            "time flows down: {a:?}"
        );
    }
    let first = &d.arrows.iter().find(|a| a.label == "m1").unwrap();
    assert_eq!(
        (first.from, first.to),
        (NodeId::Producer(1), NodeId::Broker(1))
    );
    assert_eq!(first.kind, MessageKind::Record);
    let svg = sequence_svg(&s, trace, until, Lang::En);
    let drawn = groups(&svg, "sd-arrow");
    assert_eq!(drawn.len(), delivered);
    assert!(drawn.iter().all(|g| g.contains("class=\"sd-head\"")));
    assert!(drawn.iter().any(|g| g.contains(">m1</text>")));
    // Still in flight at the cursor: drawn, faded, with no head.
    let in_flight = d.arrows.iter().filter(|a| a.fate == Fate::InFlight).count();
    assert!(in_flight > 0);
    assert_eq!(groups(&svg, "sd-in-flight").len(), in_flight);
}

#[test]
fn a_lost_message_ends_in_a_cross() {
    let (s, w) = story("s07-lost-ack-idempotence-deduplicates");
    let trace = w.trace();
    let dropped = count(trace, s.duration_ms, |k| {
        matches!(k, EventKind::MessageDropped { .. })
    });
    assert!(dropped >= 1);
    let svg = sequence_svg(&s, trace, s.duration_ms, Lang::En);
    let lost = groups(&svg, "sd-dropped");
    assert_eq!(lost.len(), dropped);
    assert!(lost
        .iter()
        .all(|g| g.contains("class=\"sd-cross\"") && !g.contains("sd-head")));
    assert!(
        svg.contains("a message lost on the network"),
        "the legend says so"
    );
}

#[test]
fn the_same_trace_draws_the_same_bytes() {
    let (s, a) = story("s13-commit-after-processing-duplicates");
    let (_, b) = story("s13-commit-after-processing-duplicates");
    for lang in Lang::ALL {
        assert_eq!(
            sequence_svg(&s, a.trace(), 2500, lang),
            sequence_svg(&s, b.trace(), 2500, lang)
        );
    }
}

#[test]
fn a_long_trace_stops_at_the_row_limit_and_says_what_it_left_out() {
    let (s, w) = story("s17-slow-processing-rebalance-duplicates");
    let d = Diagram::of(&s, w.trace(), s.duration_ms, 60);
    assert_eq!(d.rows.len(), 60);
    let left = d.left_out.expect("events were left out");
    assert!(left.events > 0 && left.from_ms <= left.to_ms);
    assert_eq!(d.end_ms(), left.from_ms, "the drawing ends at the cut");
    let svg = sequence_svg(&s, w.trace(), s.duration_ms, Lang::En);
    check_xml(&svg).unwrap();
    let full = Diagram::of(&s, w.trace(), s.duration_ms, MAX_ROWS);
    if full.left_out.is_some() {
        assert!(svg.contains("class=\"sd-left-out\""));
        assert!(svg.contains("later events"));
    }
    let short = crate::view::seqdiag_svg::render(&d, &s.name, Lang::Ru);
    check_xml(&short).unwrap();
    assert!(short.contains("не показаны"), "{short}");
}

#[test]
fn idle_time_is_compressed_and_marked() {
    let mut s = Scenario::default();
    // One broker: no follower fetches to fill the time between two sends.
    s.brokers.count = 1;
    s.topic.replication_factor = 1;
    s.producers[0].workload.interval_ms = 5000;
    s.producers[0].workload.records = 2;
    s.consumers.clear();
    s.duration_ms = 9000;
    let mut w = World::new(s.clone());
    w.run_until(s.duration_ms);
    let svg = sequence_svg(&s, w.trace(), s.duration_ms, Lang::En);
    assert!(svg.contains("class=\"sd-gap\""), "a gap line");
    assert!(svg.contains(" ms later</text>"));
}

#[test]
fn text_is_escaped() {
    assert_eq!(
        escape("<a href='x'>&\"</a>"),
        "&lt;a href=&apos;x&apos;&gt;&amp;&quot;&lt;/a&gt;"
    );
    let s = Scenario {
        name: "<script>alert(\"x\")</script> & 'co'".into(),
        ..Scenario::default()
    };
    let mut w = World::new(s.clone());
    w.run_until(1000);
    let svg = sequence_svg(&s, w.trace(), 1000, Lang::En);
    check_xml(&svg).unwrap();
    assert!(!svg.contains("<script"));
    assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;co&apos;"));
}

#[test]
fn the_russian_diagram_speaks_russian() {
    let (s, w) = story("s02-acks-1-leader-crash");
    let svg = sequence_svg(&s, w.trace(), s.duration_ms, Lang::Ru);
    assert!(svg.contains("xml:lang=\"ru\""));
    assert!(svg.contains("Диаграмма последовательности"));
    assert!(svg.contains(">падение</text>"));
    assert!(svg.contains(">контроллер</text>"));
    assert!(svg.contains(" мс</text>"));
    for english in ["Sequence diagram", ">crash<", " ms</text>", ">controller<"] {
        assert!(!svg.contains(english), "{english}");
    }
}

#[test]
fn nothing_yet_says_so() {
    let s = Scenario::default();
    let svg = sequence_svg(&s, &[], 0, Lang::En);
    check_xml(&svg).unwrap();
    assert!(svg.contains("Nothing has happened yet"));
}

#[test]
fn the_sequence_diagram_catalogue_is_complete() {
    check_catalogue::<SeqText>(&[]);
}

#[test]
#[ignore = "writes SVG files to look at: cargo test --lib seqdiag::tests::write_samples -- --ignored"]
fn write_samples() {
    let dir = std::env::temp_dir();
    for name in [
        "hello",
        "s02-acks-1-leader-crash",
        "s07-lost-ack-idempotence-deduplicates",
        "s17-slow-processing-rebalance-duplicates",
        "s21-gc-pause-zombie-consumer",
    ] {
        let (s, w) = story(name);
        for lang in Lang::ALL {
            let path = dir.join(format!("seqdiag-{name}-{}.svg", lang.code()));
            std::fs::write(&path, sequence_svg(&s, w.trace(), s.duration_ms, lang)).unwrap();
            println!("{}", path.display());
        }
    }
}
