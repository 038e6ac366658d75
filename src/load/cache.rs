//! The preview's cache of what each content file gave last time: a file whose bytes have
//! not changed since the last build is not decoded, parsed or validated again. Only
//! `serve` turns it on; a build reads everything afresh, as before.
//!
//! The key is the file's path, its whole content compared byte for byte, and a context
//! number for whatever else the result depends on (for an estate, its year's settings and
//! files, see `validate::campaign_with_records`). Not the modification time alone: an
//! editor can save twice within one tick of the file system's clock, and a `git checkout`
//! can put back an older file with an older time. Reading 12,000 small files costs a few
//! tens of milliseconds; parsing and validating them, half a second.
//!
//! A file is not even read when its whole `stat` (size, modification and change times,
//! inode) is what it was just before its last read and older than that read by a margin
//! (`look`, `unchanged`: git's rule for "racily clean" files; the change time cannot be
//! set back, the margin covers the file system clock's tick). A whole campaign year is
//! kept the same way (`remembered_year`): its records are taken without reading any of
//! its files.

use std::any::Any;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, RwLock};
use std::time::Duration;

use crate::diag::{Diagnostic, Diagnostics};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// By file: what it gave, under each context it was read in.
static ENTRIES: OnceLock<RwLock<HashMap<PathBuf, Vec<Entry>>>> = OnceLock::new();

struct Entry {
    context: u64,
    /// The file's `stat` just before it was last read, and when that read began.
    seen: Option<Seen>,
    bytes: Box<[u8]>,
    result: Box<dyn Any + Send + Sync>,
    diags: Vec<Diagnostic>,
}

impl Entry {
    /// Whether this entry is what the file gave with these bytes under this context.
    fn read_as(&self, context: u64, bytes: &[u8]) -> bool {
        self.context == context && *self.bytes == *bytes
    }
}

/// Keeps and uses results from now on (`true`), or reads every file afresh (`false`, as at
/// start).
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// Whether results are kept and used (see `set_enabled`).
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// A file's `stat` and when reading it began, less the racy margin.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    stamp: Stamp,
    read_at: (i64, i64),
}

/// The `stat` of the file at `full` (its path as opened) before it is read, with the
/// preview's cache on and where a file's identity is at hand.
pub fn look(full: &Path) -> Option<Seen> {
    if !ENABLED.load(Ordering::Relaxed) {
        return None;
    }
    if let Some(seen) = STAMPED.get().and_then(|m| {
        let map = m.read().unwrap_or_else(|e| e.into_inner());
        map.get(full).copied()
    }) {
        return Some(seen);
    }
    // The time first: a change after it makes the file racy, whenever it is seen.
    let read_at = racy_time(std::time::SystemTime::now())?;
    Some(Seen {
        stamp: Stamp::of(full)?,
        read_at,
    })
}

/// What the file at `path` (under `context`) gave last time, without reading it, when
/// its `stat` is `now` as it was just before that read and older than the read (the same
/// rule as `remembered_year`).
pub fn unchanged<T: Clone + Send + Sync + 'static>(
    path: &Path,
    context: u64,
    now: &Seen,
    diags: &mut Diagnostics,
) -> Option<Option<T>> {
    let map = ENTRIES.get()?.read().unwrap_or_else(|e| e.into_inner());
    let e = map.get(path)?.iter().find(|e| {
        e.context == context
            && e.seen
                .is_some_and(|s| s.stamp == now.stamp && s.stamp.before(s.read_at))
    })?;
    let r = e.result.downcast_ref::<Option<T>>()?;
    for d in &e.diags {
        diags.push(d.clone());
    }
    Some(r.clone())
}

/// `make(bytes)` for the file at `path` read under `context`, or a copy of what it gave for
/// the same bytes and context last time, with the same diagnostics. `seen` is the file's
/// `stat` before this read (`look`), kept for `unchanged`.
pub fn remembered<T: Clone + Send + Sync + 'static>(
    path: &Path,
    context: u64,
    bytes: &[u8],
    seen: Option<Seen>,
    diags: &mut Diagnostics,
    make: impl FnOnce(&[u8], &mut Diagnostics) -> Option<T>,
) -> Option<T> {
    if !ENABLED.load(Ordering::Relaxed) {
        return make(bytes, diags);
    }
    let entries = ENTRIES.get_or_init(Default::default);
    let restamp = {
        // Shared while looking: after the first build nearly every file is found here.
        let map = entries.read().unwrap_or_else(|e| e.into_inner());
        let found = map
            .get(path)
            .and_then(|kept| kept.iter().find(|e| e.read_as(context, bytes)));
        found.and_then(|e| {
            let r = e.result.downcast_ref::<Option<T>>()?;
            for d in &e.diags {
                diags.push(d.clone());
            }
            Some((r.clone(), e.seen != seen))
        })
    };
    if let Some((r, restamp)) = restamp {
        // The same bytes under a new `stat` (the file was touched, or is no longer
        // racy): the next build may trust the new one.
        if restamp {
            let mut map = entries.write().unwrap_or_else(|e| e.into_inner());
            if let Some(e) = map
                .get_mut(path)
                .and_then(|kept| kept.iter_mut().find(|e| e.read_as(context, bytes)))
            {
                e.seen = seen;
            }
        }
        return r;
    }
    // Made outside the lock: the other workers go on meanwhile.
    let mut own = Diagnostics::default();
    let result = make(bytes, &mut own);
    let entry = Entry {
        context,
        seen,
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

/// How long before a read a file must have last changed for its `stat` to vouch for its
/// content: a file changed within this margin of the read (or after it) may have changed
/// again within one tick of the file system's clock, with the same size and times, so it
/// is read again. The file system's clock lags the system's by up to one tick (a few
/// milliseconds; two seconds on FAT), hence more than zero.
static RACY_MARGIN_MS: AtomicU64 = AtomicU64::new(3000);

/// Sets the margin of `remembered_year`'s racy rule (tests shorten it to see reuse within
/// seconds of writing their files).
pub fn set_racy_margin(margin: Duration) {
    RACY_MARGIN_MS.store(margin.as_millis() as u64, Ordering::Relaxed);
}

/// `started` less the racy margin, as seconds and nanoseconds since 1970.
fn racy_time(started: std::time::SystemTime) -> Option<(i64, i64)> {
    let margin = Duration::from_millis(RACY_MARGIN_MS.load(Ordering::Relaxed));
    let d = started
        .checked_sub(margin)?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((d.as_secs() as i64, i64::from(d.subsec_nanos())))
}

/// What `stat` says of a file: enough to tell that it was not written since, without
/// reading it. The change time cannot be set back by a program, so a file put back with
/// an old modification time (`git checkout`, `cp -p`, `rsync -t`) still differs.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    ino: u64,
    dev: u64,
}

impl Stamp {
    #[cfg(unix)]
    fn of(path: &Path) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: m.len(),
            mtime: (m.mtime(), m.mtime_nsec()),
            ctime: (m.ctime(), m.ctime_nsec()),
            ino: m.ino(),
            dev: m.dev(),
        })
    }

    /// Elsewhere a file's identity is not at hand: every file is read.
    #[cfg(not(unix))]
    fn of(_: &Path) -> Option<Stamp> {
        None
    }

    /// Last changed strictly before `time` (seconds and nanoseconds since 1970).
    fn before(&self, time: (i64, i64)) -> bool {
        self.mtime < time && self.ctime < time
    }
}

/// The files of the campaign years being read, with the stamps `remembered_year` took.
static STAMPED: OnceLock<RwLock<HashMap<PathBuf, Seen>>> = OnceLock::new();

/// By campaign folder: what it gave last time, and the state of its files then.
static YEARS: OnceLock<Mutex<HashMap<PathBuf, Year>>> = OnceLock::new();

struct Year {
    stamps: Vec<Stamp>,
    files: Vec<PathBuf>,
    listed: Vec<String>,
    /// When the files began to be read, less the racy margin.
    read_at: (i64, i64),
    result: Box<dyn Any + Send + Sync>,
    diags: Vec<Diagnostic>,
}

/// `make()` for a campaign folder whose result depends on nothing but the content of
/// `files` (absolute paths, every file the folder's records are read from) and `listed`
/// (its attachments' names), or a copy of what it gave last time, with the same
/// diagnostics, when neither changed: the same names, and each file's `stat` the same as
/// then and older than the time that reading began (git's rule for "racily clean" files).
/// `started` is when the caller began reading the folder, before it read or listed
/// anything. No file is read to find out.
pub fn remembered_year<T: Clone + Send + Sync + 'static>(
    dir: &Path,
    started: std::time::SystemTime,
    files: &[PathBuf],
    listed: &[String],
    diags: &mut Diagnostics,
    make: impl FnOnce(&mut Diagnostics) -> T,
) -> T {
    if !ENABLED.load(Ordering::Relaxed) {
        return make(diags);
    }
    let read_at = racy_time(started);
    use rayon::prelude::*;
    let stamps: Option<Vec<Stamp>> = files.par_iter().map(|p| Stamp::of(p)).collect();
    let years = YEARS.get_or_init(Default::default);
    if let Some(stamps) = &stamps {
        let map = years.lock().unwrap_or_else(|e| e.into_inner());
        let found = map.get(dir).filter(|y| {
            y.listed == listed
                && y.files == files
                && y.stamps == *stamps
                && y.stamps.iter().all(|s| s.before(y.read_at))
        });
        if let Some(y) = found
            && let Some(r) = y.result.downcast_ref::<T>()
        {
            for d in &y.diags {
                diags.push(d.clone());
            }
            return r.clone();
        }
    }
    let mut own = Diagnostics::default();
    // The stamps just taken vouch for the files as `look`'s would: taken before any file
    // is read, with an earlier time. `look` uses them rather than `stat` each file again.
    let stamped = STAMPED.get_or_init(Default::default);
    let lent = match (&stamps, read_at) {
        (Some(stamps), Some(read_at)) => {
            let mut map = stamped.write().unwrap_or_else(|e| e.into_inner());
            for (path, &stamp) in files.iter().zip(stamps) {
                map.insert(path.clone(), Seen { stamp, read_at });
            }
            true
        }
        _ => false,
    };
    let result = make(&mut own);
    if lent {
        let mut map = stamped.write().unwrap_or_else(|e| e.into_inner());
        for path in files {
            map.remove(path);
        }
    }
    let mut map = years.lock().unwrap_or_else(|e| e.into_inner());
    match (stamps, read_at) {
        (Some(stamps), Some(read_at)) => {
            map.insert(
                dir.to_path_buf(),
                Year {
                    stamps,
                    files: files.to_vec(),
                    listed: listed.to_vec(),
                    read_at,
                    result: Box::new(result.clone()),
                    diags: own.iter().cloned().collect(),
                },
            );
        }
        _ => {
            map.remove(dir);
        }
    }
    diags.extend(own);
    result
}
