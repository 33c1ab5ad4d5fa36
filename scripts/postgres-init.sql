-- Creates the database the integration tests use (docker compose runs this once, on first start).
CREATE DATABASE test;
