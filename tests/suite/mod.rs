mod audit;
mod build;
mod env;
mod links;
mod sandbox;
mod snapshot;
mod thesis;
