//! The explorer's Web Worker: Trunk builds this binary as a no-modules worker script
//! (`explorer-worker.js` and `explorer-worker_bg.wasm`, see `index.html`), and the page spawns it
//! to run `Explorer::step` off the main thread (`ui/explorer_worker.rs`).

#[cfg(target_arch = "wasm32")]
fn main() {
    delivery_lab::ui::explorer_worker::register();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "explorer-worker is the page's Web Worker and runs in a browser; natively, use \
         `cargo run --bin dlab -- explore` for the same matrix as JSON."
    );
    std::process::exit(2);
}
