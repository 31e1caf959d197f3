//! The page's entry point: installs the panic hook and mounts the Yew app.

#[cfg(target_arch = "wasm32")]
fn main() {
    delivery_lab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "delivery-lab is the web page and runs in a browser: use `scripts/run.sh` to build and \
         serve it, or `cargo run --bin dlab` for the headless runner."
    );
    std::process::exit(2);
}
