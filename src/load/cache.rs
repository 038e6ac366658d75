//! The preview's parse cache: a file whose text has not changed since the last build is not
//! parsed again. Only `serve` turns it on; a build parses everything, as before.
//!
//! The key is the file's whole text, compared byte for byte, not its modification time:
//! an editor can save twice within one tick of the file system's clock, and a `git
//! checkout` can put back an older file with an older time. Reading 12,000 small files
//! costs a few tens of milliseconds; parsing them, half a second.

use std::any::Any;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{OnceLock, RwLock};

use crate::diag::{Diagnostic, Diagnostics};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Parse results by file, each with the text it was parsed from.
static ENTRIES: OnceLock<RwLock<HashMap<PathBuf, Entry>>> = OnceLock::new();

struct Entry {
    text: Box<str>,
    result: Box<dyn Any + Send + Sync>,
    diags: Vec<Diagnostic>,
}

/// Keeps and uses parse results from now on (`true`), or parses every file (`false`,
/// as at start).
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// `parse(text)` for the file at `path`, or a copy of what it gave for the same text last
/// time, with the same diagnostics.
pub fn parsed<R: Clone + Send + Sync + 'static>(
    path: &Path,
    text: &str,
    diags: &mut Diagnostics,
    parse: impl FnOnce(&str, &mut Diagnostics) -> R,
) -> R {
    if !ENABLED.load(Ordering::Relaxed) {
        return parse(text, diags);
    }
    let entries = ENTRIES.get_or_init(Default::default);
    {
        // Shared while looking: after the first build nearly every file is found here.
        let map = entries.read().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = map.get(path).filter(|e| &*e.text == text)
            && let Some(r) = e.result.downcast_ref::<R>()
        {
            for d in &e.diags {
                diags.push(d.clone());
            }
            return r.clone();
        }
    }
    // Parsed outside the lock: the other workers go on meanwhile.
    let mut own = Diagnostics::default();
    let result = parse(text, &mut own);
    let entry = Entry {
        text: text.into(),
        result: Box::new(result.clone()),
        diags: own.iter().cloned().collect(),
    };
    diags.extend(own);
    entries
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(path.to_path_buf(), entry);
    result
}
