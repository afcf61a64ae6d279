package io.gregor.protocol.config;

/** How much an operator should care about a setting; orders generated documentation. */
public enum Importance { HIGH, MEDIUM, LOW }
