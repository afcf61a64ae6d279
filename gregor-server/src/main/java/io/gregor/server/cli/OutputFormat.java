package io.gregor.server.cli;

/** How listing commands print: aligned tables for people, JSON for scripts. */
enum OutputFormat {
    TEXT,
    JSON
}
