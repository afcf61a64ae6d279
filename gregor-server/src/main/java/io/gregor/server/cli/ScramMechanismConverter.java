package io.gregor.server.cli;

import org.apache.kafka.clients.admin.ScramMechanism;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** --mechanism: a SASL mechanism name, SCRAM-SHA-256 or SCRAM-SHA-512, in any case. */
final class ScramMechanismConverter implements ITypeConverter<ScramMechanism> {
    @Override
    public ScramMechanism convert(String value) {
        ScramMechanism mechanism = ScramMechanism.fromMechanismName(value.toUpperCase(java.util.Locale.ROOT));
        if (mechanism == ScramMechanism.UNKNOWN) {
            throw new TypeConversionException("'" + value + "' is not a SCRAM mechanism: use SCRAM-SHA-256 or "
                    + "SCRAM-SHA-512");
        }
        return mechanism;
    }
}
