//! jiayuan: the 美好家园 campaign site generator. The modules follow the pipeline:
//! load → validate → derive → render → write, with the command line at the edge.

pub mod cli;
pub mod derive;
pub mod diag;
pub mod export;
pub mod import;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod timings;
pub mod validate;
pub mod write;
