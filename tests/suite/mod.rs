mod audit;
mod build;
mod env;
mod sandbox;
mod snapshot;
mod thesis;
