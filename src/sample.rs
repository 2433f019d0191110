//! A deterministic generator of sample campaign content, for the default site, tests and benchmarks.
