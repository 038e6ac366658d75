//! Render: turn the checked site into output files. On this branch only the search index
//! builder lives here; the page renderer comes from the `render` branch.

pub mod search;
