package io.gregor.server.cli;

import org.apache.kafka.common.security.auth.KafkaPrincipal;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A principal option: {@code Type:name}, e.g. User:alice. */
final class KafkaPrincipalConverter implements ITypeConverter<KafkaPrincipal> {
    @Override
    public KafkaPrincipal convert(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new TypeConversionException("'" + value + "' is not a principal: use Type:name, e.g. User:alice");
        }
        return new KafkaPrincipal(value.substring(0, colon), value.substring(colon + 1));
    }
}
