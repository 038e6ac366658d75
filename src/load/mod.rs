//! Load: read the content folder into located YAML trees and Markdown bodies.

pub mod yaml;
