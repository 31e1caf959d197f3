//! Browser tests (tier 2): mount the real Yew app in headless Chromium and click it.
//!
//! Run with `cargo test --target wasm32-unknown-unknown` (scripts/test.sh does). They wait on
//! conditions, never on fixed sleeps.
#![cfg(target_arch = "wasm32")]

use delivery_lab::model::{Scenario, World};
use delivery_lab::ui::app::App;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    root
}

/// Waits until `cond` holds, yielding to the browser between checks; fails after 5 s.
async fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..500 {
        if cond() {
            return;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("timed out waiting for: {what}");
}

fn click(root: &Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element {selector}"))
        .unchecked_into::<HtmlElement>()
        .click();
}

fn count(root: &Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

#[wasm_bindgen_test]
async fn pressing_play_sends_a_record_that_lands_in_the_log_and_pause_stops_the_clock() {
    let root = mount();
    wait_for("the stage renders", || count(&root, "svg.stage") == 1).await;
    let stage = || {
        root.query_selector(".stage-frame")
            .unwrap()
            .unwrap()
            .inner_html()
    };
    let still = stage();
    TimeoutFuture::new(50).await;
    assert_eq!(stage(), still, "nothing moves before play");

    click(&root, ".btn-play");
    wait_for("a record is in flight", || {
        count(&root, ".stage-flights .msg-record") > 0
    })
    .await;
    wait_for("the record is appended to the broker's log", || {
        count(&root, "svg.stage .cell") > 0
    })
    .await;

    click(&root, ".btn-play");
    let clock = || {
        root.query_selector(".clock")
            .unwrap()
            .unwrap()
            .text_content()
    };
    let paused_at = clock();
    TimeoutFuture::new(0).await;
    wait_for("the button says Play again", || {
        root.query_selector(".btn-play")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap_or_default()
            .contains("Play")
    })
    .await;
    for _ in 0..5 {
        TimeoutFuture::new(20).await;
        assert_eq!(clock(), paused_at, "the clock does not move while paused");
    }
}

#[wasm_bindgen_test]
fn the_model_gives_the_same_trace_in_wasm_as_natively() {
    let mut world = World::new(Scenario::default());
    world.run_until(world.scenario().duration_ms);
    let lines: String = world.trace().iter().map(|e| format!("{e}\n")).collect();
    let hash = fnv1a64(lines.as_bytes());
    let expected: u64 = include_str!("fixtures/default-trace-hash.txt")
        .trim()
        .parse()
        .expect("the golden file holds a decimal u64");
    assert_eq!(
        hash, expected,
        "WASM trace differs from the native golden hash"
    );
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
