//! The runner's allocator: the system allocator, asking Linux to back large blocks with 2 MB
//! pages (transparent huge pages, `madvise(MADV_HUGEPAGE)`).
//!
//! A benchmark run stores a million trace events (about 100 MB) and its brokers' logs, all
//! written once, front to back. With 4 KB pages the kernel takes a page fault for every 4 KB it
//! hands out: some 45,000 faults a run, a third of its time on this VM. With 2 MB pages it takes
//! one per 2 MB. This is what glibc does for every block with
//! `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`; here only blocks of 2 MB and more ask, so small
//! allocations are as before. Where the kernel has huge pages off (`never`), the advice is
//! ignored and nothing changes. Only this native binary uses it: the page (WASM) keeps the
//! default allocator.

use std::alloc::{GlobalAlloc, Layout, System};

/// The system allocator, with huge-page advice for blocks of [`HUGE`] bytes and more.
pub struct HugePages;

/// A huge page on x86-64 and aarch64 Linux.
const HUGE: usize = 2 << 20;

/// The size of a page the kernel hands out by default.
const PAGE: usize = 4096;

/// Advises huge pages for the pages `len` bytes at `block` lie on.
///
/// The range is widened to whole pages rather than narrowed to whole huge pages: a large block
/// from glibc is a mapping of its own (16 bytes in, page-rounded), so the advice covers the
/// whole mapping and does not split it in three; a split mapping cannot grow in place
/// (`mremap`), and every `Vec` that doubles would be copied. The kernel backs with huge pages
/// the 2 MB-aligned stretches inside it.
fn advise(block: *mut u8, len: usize) {
    if block.is_null() || len < HUGE {
        return;
    }
    let start = block as usize & !(PAGE - 1);
    let end = (block as usize + len).next_multiple_of(PAGE);
    // SAFETY: [start, end) covers only pages of the block the allocator just handed out (and
    // at most the rest of its first and last page); MADV_HUGEPAGE only changes how the kernel
    // backs pages, never their contents. A failure (huge pages off, an old kernel) leaves the
    // pages as they were.
    unsafe {
        libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
    }
}

// SAFETY: every call goes to `System` with the same arguments; `advise` only adds a hint.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc`, passed on.
        let block = unsafe { System.alloc(layout) };
        advise(block, layout.size());
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc_zeroed`, passed on.
        let block = unsafe { System.alloc_zeroed(layout) };
        advise(block, layout.size());
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc`, passed on.
        unsafe { System.dealloc(block, layout) }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc`, passed on.
        let moved = unsafe { System.realloc(block, layout, new_size) };
        advise(moved, new_size);
        moved
    }
}

#[cfg(test)]
mod tests {
    /// The `VmFlags` of the mapping that holds `addr`, from `/proc/self/smaps`.
    fn flags_of(addr: usize) -> String {
        let smaps = std::fs::read_to_string("/proc/self/smaps").expect("/proc/self/smaps");
        let mut inside = false;
        for line in smaps.lines() {
            if let Some(flags) = line.strip_prefix("VmFlags:") {
                if inside {
                    return flags.to_string();
                }
            } else if let Some((start, end)) = mapping_range(line) {
                inside = (start..end).contains(&addr);
            }
        }
        panic!("no mapping holds {addr:#x}");
    }

    /// The address range of a mapping's first line (`55d0c2a00000-55d0c2c21000 rw-p …`).
    fn mapping_range(line: &str) -> Option<(usize, usize)> {
        let (range, _) = line.split_once(' ')?;
        let (start, end) = range.split_once('-')?;
        Some((
            usize::from_str_radix(start, 16).ok()?,
            usize::from_str_radix(end, 16).ok()?,
        ))
    }

    #[test]
    fn large_blocks_ask_for_huge_pages_and_keep_their_contents() {
        if !std::path::Path::new("/sys/kernel/mm/transparent_hugepage/enabled").exists() {
            eprintln!("this kernel has no transparent huge pages: nothing to check");
            return;
        }
        // Allocated at its full size.
        let block = vec![7u64; (8 << 20) / 8];
        assert!(flags_of(block.as_ptr() as usize).contains(" hg"));
        assert!(block.iter().all(|&x| x == 7));

        // Grown by doubling, as the trace grows: the block it ends in asks too, and what was
        // written before each move is still there.
        let mut grown: Vec<u64> = Vec::new();
        for i in 0..(16 << 20) / 8 {
            grown.push(i);
        }
        assert!(flags_of(grown.as_ptr() as usize).contains(" hg"));
        assert!(grown.iter().enumerate().all(|(i, &x)| x == i as u64));
    }
}
