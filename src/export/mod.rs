//! Exports for other programs: data files built from the model, free of template code.

pub mod summary_table;
