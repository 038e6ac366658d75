//! The `jiayuan` binary: parse the command line, run one command, exit with its code.

use std::process::ExitCode;

fn main() -> ExitCode {
    jiayuan::cli::main()
}
