//! Files in and out of the page: downloads made from strings, an uploaded file read as text, and
//! the stage serialised as a standalone SVG (its CSS custom properties resolved into inline
//! styles, so it looks the same outside the page).

use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, Element, HtmlAnchorElement, Url};

/// Offers `text` as a download named `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = gloo::utils::document();
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    Url::revoke_object_url(&url).ok();
}

/// Reads the first file chosen in a file input as text: (file name, text or `None`).
pub async fn read_chosen(input: &web_sys::HtmlInputElement) -> Option<(String, Option<String>)> {
    let file = input.files()?.get(0)?;
    let name = file.name();
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|v| v.as_string());
    Some((name, text))
}

/// The properties whose values come from the page's CSS (often through custom properties).
const STYLED: &[&str] = &[
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
    "dominant-baseline",
    "visibility",
    "display",
];

/// The stage (`svg.stage`) as a standalone SVG document, with the messages in flight (drawn on
/// SVGs of their own over it, in `.stage-flights`) put back into it.
pub fn stage_svg() -> Option<String> {
    let window = gloo::utils::window();
    let svg = gloo::utils::document().query_selector("svg.stage").ok()??;
    let copy = styled_copy(&window, &svg)?;
    copy.set_attribute("xmlns", "http://www.w3.org/2000/svg")
        .ok();
    let layer = svg
        .parent_element()
        .and_then(|frame| frame.query_selector(".stage-flights").ok()?);
    if let Some(flights) =
        layer.and_then(|l| super::stage::placed_flights(&l, |m| styled_copy(&window, m)))
    {
        copy.append_child(&flights).ok();
    }
    if let Ok(Some(bg)) = window.get_computed_style(&gloo::utils::body()) {
        let colour = bg
            .get_property_value("background-color")
            .unwrap_or_default();
        let style = copy.get_attribute("style").unwrap_or_default();
        copy.set_attribute("style", &format!("{style}background:{colour};"))
            .ok();
    }
    web_sys::XmlSerializer::new()
        .ok()?
        .serialize_to_string(&copy)
        .ok()
}

/// A deep copy of `original` with the [`STYLED`] properties of each element's computed style
/// written into its `style`, so that the copy looks the same without the page's CSS.
fn styled_copy(window: &web_sys::Window, original: &Element) -> Option<Element> {
    let copy: Element = original.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    let originals = original.query_selector_all("*").ok()?;
    let copies = copy.query_selector_all("*").ok()?;
    let pairs = std::iter::once((original.clone(), copy.clone())).chain(
        (0..originals.length()).filter_map(|i| {
            let o = originals.item(i)?.dyn_into::<Element>().ok()?;
            let c = copies.item(i)?.dyn_into::<Element>().ok()?;
            Some((o, c))
        }),
    );
    for (original, copy) in pairs {
        let Ok(Some(style)) = window.get_computed_style(&original) else {
            continue;
        };
        let inline: String = STYLED
            .iter()
            .filter_map(|p| {
                let v = style.get_property_value(p).ok()?;
                (!v.is_empty()).then(|| format!("{p}:{v};"))
            })
            .collect();
        copy.set_attribute("style", &inline).ok();
    }
    Some(copy)
}

/// The stage as a PNG at twice its drawn size: the standalone SVG drawn onto a canvas.
pub async fn stage_png() -> Option<String> {
    let svg_text = stage_svg()?;
    let svg = gloo::utils::document().query_selector("svg.stage").ok()??;
    let rect = svg.get_bounding_client_rect();
    let (width, height) = ((rect.width() * 2.0) as u32, (rect.height() * 2.0) as u32);
    let document = gloo::utils::document();
    let img: web_sys::HtmlImageElement = document.create_element("img").ok()?.dyn_into().ok()?;
    img.set_src(&format!(
        "data:image/svg+xml;charset=utf-8,{}",
        crate::view::link::codec::percent_encode(&svg_text)
    ));
    wasm_bindgen_futures::JsFuture::from(img.decode())
        .await
        .ok()?;
    let canvas: web_sys::HtmlCanvasElement =
        document.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(width.max(1));
    canvas.set_height(height.max(1));
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context
        .draw_image_with_html_image_element_and_dw_and_dh(
            &img,
            0.0,
            0.0,
            width.into(),
            height.into(),
        )
        .ok()?;
    canvas.to_data_url().ok()
}

/// Offers a `data:` URL (e.g. a canvas's PNG) as a download.
pub fn download_url(name: &str, url: &str) {
    if let Some(a) = gloo::utils::document()
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
    {
        a.set_href(url);
        a.set_download(name);
        a.click();
    }
}
