//! stub
use super::Failure;
pub fn run(_a: &crate::cli::DiffArgs) -> Result<(), Failure> {
    Err(Failure::Usage("not implemented yet".into()))
}
