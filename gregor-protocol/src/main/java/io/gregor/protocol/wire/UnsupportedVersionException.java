package io.gregor.protocol.wire;

/**
 * A message cannot be read or written at the requested version: the version is outside the
 * message's range, or a field holding a non-default value does not exist in that version.
 */
public class UnsupportedVersionException extends RuntimeException {
    public UnsupportedVersionException(String message) {
        super(message);
    }
}
