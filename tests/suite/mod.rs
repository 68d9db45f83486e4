mod audit;
mod bad_inputs;
mod build;
mod env;
mod links;
mod sandbox;
mod snapshot;
mod thesis;
