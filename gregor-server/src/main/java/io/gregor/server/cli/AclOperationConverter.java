package io.gregor.server.cli;

import java.util.Locale;
import org.apache.kafka.common.acl.AclOperation;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** --operation: an ACL operation by Kafka's name (READ, write, Describe_Configs...), in any case. */
final class AclOperationConverter implements ITypeConverter<AclOperation> {
    @Override
    public AclOperation convert(String value) {
        AclOperation operation = AclOperation.fromString(value.trim().toUpperCase(Locale.ROOT));
        if (operation == AclOperation.UNKNOWN || operation == AclOperation.ANY) {
            throw new TypeConversionException("'" + value + "' is not an ACL operation: use ALL, READ, WRITE, CREATE, "
                    + "DELETE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, "
                    + "CREATE_TOKENS or DESCRIBE_TOKENS");
        }
        return operation;
    }
}
