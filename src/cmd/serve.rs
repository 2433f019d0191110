//! `rectify serve`: renders the site into memory, serves it on localhost and keeps it up to date
//! as the content or the site's theme changes (see `crate::serve`). Never touches `./output`.

use super::Failure;
use crate::cli::ServeArgs;

pub fn run(args: &ServeArgs) -> Result<(), Failure> {
    crate::serve::run(args)
}
