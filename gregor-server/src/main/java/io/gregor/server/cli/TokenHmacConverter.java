package io.gregor.server.cli;

import java.util.Base64;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A token's HMAC as {@code gregor token create} and Kafka's tools print it: base64. */
final class TokenHmacConverter implements ITypeConverter<TokenHmacConverter.Hmac> {
    /** The HMAC's bytes, wrapped: picocli would take a {@code byte[]} parameter for many values. */
    record Hmac(byte[] bytes) {
    }

    @Override
    public Hmac convert(String value) {
        try {
            return new Hmac(Base64.getDecoder().decode(value));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a token HMAC: expected base64");
        }
    }
}
