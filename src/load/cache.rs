//! The preview's cache of what each content file gave last time: a file whose bytes have
//! not changed since the last build is not decoded, parsed or validated again. Only
//! `serve` turns it on; a build reads everything afresh, as before.
//!
//! The key is the file's path, its whole content compared byte for byte, and a context
//! number for whatever else the result depends on (for an estate, its year's settings and
//! files, see `validate::campaign_with_records`). Not the modification time: an editor can
//! save twice within one tick of the file system's clock, and a `git checkout` can put
//! back an older file with an older time. Reading 12,000 small files costs a few tens of
//! milliseconds; parsing and validating them, half a second.

use std::any::Any;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{OnceLock, RwLock};

use crate::diag::{Diagnostic, Diagnostics};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// By file: what it gave, under each context it was read in.
static ENTRIES: OnceLock<RwLock<HashMap<PathBuf, Vec<Entry>>>> = OnceLock::new();

struct Entry {
    context: u64,
    bytes: Box<[u8]>,
    result: Box<dyn Any + Send + Sync>,
    diags: Vec<Diagnostic>,
}

/// Keeps and uses results from now on (`true`), or reads every file afresh (`false`, as at
/// start).
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// `make(bytes)` for the file at `path` read under `context`, or a copy of what it gave for
/// the same bytes and context last time, with the same diagnostics.
pub fn remembered<T: Clone + Send + Sync + 'static>(
    path: &Path,
    context: u64,
    bytes: &[u8],
    diags: &mut Diagnostics,
    make: impl FnOnce(&[u8], &mut Diagnostics) -> Option<T>,
) -> Option<T> {
    if !ENABLED.load(Ordering::Relaxed) {
        return make(bytes, diags);
    }
    let entries = ENTRIES.get_or_init(Default::default);
    {
        // Shared while looking: after the first build nearly every file is found here.
        let map = entries.read().unwrap_or_else(|e| e.into_inner());
        let found = map.get(path).and_then(|kept| {
            kept.iter()
                .find(|e| e.context == context && *e.bytes == *bytes)
        });
        if let Some(e) = found
            && let Some(r) = e.result.downcast_ref::<Option<T>>()
        {
            for d in &e.diags {
                diags.push(d.clone());
            }
            return r.clone();
        }
    }
    // Made outside the lock: the other workers go on meanwhile.
    let mut own = Diagnostics::default();
    let result = make(bytes, &mut own);
    let entry = Entry {
        context,
        bytes: bytes.into(),
        result: Box::new(result.clone()),
        diags: own.iter().cloned().collect(),
    };
    diags.extend(own);
    let mut map = entries.write().unwrap_or_else(|e| e.into_inner());
    let kept = map.entry(path.to_path_buf()).or_default();
    // One entry per context (the file's older bytes are of no further use), and only the
    // last few contexts.
    kept.retain(|e| e.context != context);
    if kept.len() > 2 {
        kept.remove(0);
    }
    kept.push(entry);
    result
}
