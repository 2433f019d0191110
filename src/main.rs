//! The `rectify` binary: parses the command line, dispatches, and maps errors to exit codes.

fn main() {
    println!("rectify");
}
