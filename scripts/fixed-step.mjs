// Shared by the frame benchmarks (bench-frames.mjs, probe-frames.mjs).

/**
 * Installed before the page loads (`page.addInitScript(fixStep)`): the page's animation frames
 * get timestamps exactly 1/60 s apart, however long each really took, so every frame has the
 * same story to draw whatever the machine's load. The real `requestAnimationFrame` stays
 * reachable as `window.__realRequestAnimationFrame`, for counting real frames.
 */
export function fixStep() {
  const real = window.requestAnimationFrame.bind(window);
  window.__realRequestAnimationFrame = real;
  let first = null;
  let lastReal = null;
  let frame = 0;
  window.requestAnimationFrame = (callback) =>
    real((now) => {
      if (first === null) first = now;
      if (now !== lastReal) {
        if (lastReal !== null) frame += 1;
        lastReal = now;
      }
      callback(first + (frame * 1000) / 60);
    });
}
